package io.phoenixchannels.kotlin.examples

import io.phoenixchannels.ChannelState
import io.phoenixchannels.PhoenixException
import io.phoenixchannels.PhoenixPresence
import io.phoenixchannels.PhoenixSocket
import io.phoenixchannels.Presence
import io.phoenixchannels.kotlin.await
import io.phoenixchannels.kotlin.closeWith
import io.phoenixchannels.kotlin.events
import io.phoenixchannels.kotlin.joinAwait
import io.phoenixchannels.kotlin.listFlow
import io.phoenixchannels.kotlin.states
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** A chat message: a record for Jackson, so the socket's default ObjectMapper reads it. */
@JvmRecord
data class ChatMessage(val user: String, val body: String)

// README:kotlin:begin
/**
 * The state of a chat screen, in plain Kotlin: on Android, extend `ViewModel` and pass `viewModelScope`. Everything
 * it opens ends with [scope]: the channel is left, the collection stops.
 */
class ChatViewModel(socket: PhoenixSocket, topic: String, private val scope: CoroutineScope) {
    private val room = socket.channel(topic).closeWith(scope) // left when the screen's scope ends
    private val _messages = MutableStateFlow<List<ChatMessage>>(emptyList())
    private val _problem = MutableStateFlow<String?>(null)

    /** The conversation so far. */
    val messages: StateFlow<List<ChatMessage>> = _messages.asStateFlow()

    /** Joining, joined, errored (a "reconnecting..." banner): the channel's state. */
    val connection: StateFlow<ChannelState> = room.states

    /** Who is in the room, after every presence sync. */
    val online: StateFlow<List<Presence>> = PhoenixPresence(room).listFlow()

    /** What went wrong last, for a snackbar. */
    val problem: StateFlow<String?> = _problem.asStateFlow()

    init {
        // UNDISPATCHED: listening before the join goes out, so no message of the join is missed.
        scope.launch(start = CoroutineStart.UNDISPATCHED) {
            room.events<ChatMessage>("new_msg").collect { message -> _messages.update { it + message } }
        }
        scope.launch {
            try {
                room.joinAwait()
            } catch (e: PhoenixException) { // refused or timed out; the channel is left
                _problem.value = "cannot join $topic: ${e.message}"
            }
        }
    }

    /** Sends what the user typed; suspends nobody: the reply is awaited in the screen's scope. */
    fun send(text: String) {
        scope.launch {
            try {
                room.push("new_msg", ChatMessage("me", text)).await()
            } catch (e: PhoenixException) { // an error reply, a timeout, or not sent
                _problem.value = "not sent: ${e.message}"
            }
        }
    }
}
// README:kotlin:end
