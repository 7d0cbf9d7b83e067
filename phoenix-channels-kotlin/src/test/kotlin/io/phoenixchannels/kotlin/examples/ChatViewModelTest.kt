package io.phoenixchannels.kotlin.examples

import io.phoenixchannels.ChannelState
import io.phoenixchannels.PhoenixSocket
import io.phoenixchannels.kotlin.realTime
import io.phoenixchannels.testserver.ChannelHandler
import io.phoenixchannels.testserver.HandleResult
import io.phoenixchannels.testserver.JoinRequest
import io.phoenixchannels.testserver.JoinResult
import io.phoenixchannels.testserver.InboundEvent
import io.phoenixchannels.testserver.PhoenixTestServer
import io.phoenixchannels.testserver.ServerChannel
import java.time.Duration
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.test.runTest
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/** The README's view model against the test server: a room that broadcasts what is said in it. */
class ChatViewModelTest {
    private val server = PhoenixTestServer.builder()
        .channel("room:*") {
            object : ChannelHandler {
                override fun join(request: JoinRequest): JoinResult =
                    if (request.topic() == "room:closed") JoinResult.error(mapOf("reason" to "closed"))
                    else JoinResult.ok()

                override fun afterJoin(channel: ServerChannel) {
                    channel.track("me", mapOf("typing" to false))
                    channel.pushPresenceState()
                }

                override fun handleIn(event: InboundEvent): HandleResult {
                    if (event.payload().get("body").asText().isBlank()) {
                        return HandleResult.error(mapOf("reason" to "empty"))
                    }
                    event.channel().broadcast("new_msg", event.payload())
                    return HandleResult.ok()
                }
            }
        }
        .start()
    private val socket = PhoenixSocket.builder(server.url()).build()

    @AfterEach
    fun close() {
        socket.close()
        server.close()
    }

    @Test
    fun showsTheConversationWhoIsOnlineAndProblems() = runTest {
        socket.connect()
        val chat = ChatViewModel(socket, "room:lobby", backgroundScope)

        realTime { chat.connection.first { it == ChannelState.JOINED } }
        chat.send("hello")
        chat.send(" ")

        assertThat(realTime { chat.messages.first { it.isNotEmpty() } }).containsExactly(ChatMessage("me", "hello"))
        assertThat(realTime { chat.problem.first { it != null } }).contains("not sent").contains("empty")
        assertThat(realTime { chat.online.first { it.isNotEmpty() } }.map { it.key() }).containsExactly("me")
    }

    @Test
    fun aRefusedJoinIsAProblemToShow() = runTest {
        socket.connect()
        val chat = ChatViewModel(socket, "room:closed", backgroundScope)

        assertThat(realTime { chat.problem.first { it != null } }).contains("cannot join room:closed")
        realTime { chat.connection.first { it == ChannelState.CLOSED } }
    }

    @Test
    fun theScreensScopeEndingLeavesTheRoom() = runTest {
        socket.connect()
        val connection = server.takeConnection(Duration.ofSeconds(10))
        val screen = CoroutineScope(Job())
        val chat = ChatViewModel(socket, "room:lobby", screen)
        realTime { chat.connection.first { it == ChannelState.JOINED } }

        screen.cancel()

        connection.takeInbound("phx_leave", Duration.ofSeconds(10))
        realTime { chat.connection.first { it == ChannelState.CLOSED } }
    }
}
