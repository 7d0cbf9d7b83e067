package io.phoenixchannels.kotlin

import io.phoenixchannels.ChannelState
import io.phoenixchannels.ErrorReplyException
import io.phoenixchannels.PushTimeoutException
import io.phoenixchannels.Reply
import java.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runTest
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class AwaitsTest {
    private val room = TestRoom()

    @AfterEach
    fun close() = room.close()

    @JvmRecord
    data class Echo(val body: String)

    @Test
    fun joinAwaitReturnsTheServersOkReply() = runTest {
        room.connect()
        val channel = room.socket.channel("room:1")

        val reply = channel.joinAwait()

        assertThat(reply.status()).isEqualTo(Reply.OK)
        assertThat(reply.response().get("welcome").asText()).isEqualTo("in")
        assertThat(channel.state()).isEqualTo(ChannelState.JOINED)
    }

    @Test
    fun refusedJoinThrowsAndLeavesNothingBehind() = runTest {
        room.connect()
        val channel = room.socket.channel("room:1", mapOf("refuse" to true))

        val refused = assertThrows<ErrorReplyException> { channel.joinAwait() }

        assertThat(refused.reply().response().get("reason").asText()).isEqualTo("unauthorized")
        realTime { channel.states.first { it == ChannelState.CLOSED } }
        eventually { channel !in room.socket.channels() }
    }

    @Test
    fun joinWithoutReplyTimesOutAndLeaves() = runTest {
        val connection = room.connect()
        room.server.faults().dropReplies { it.event() == "phx_join" }
        val channel = room.socket.channel("room:1")

        val timeout = assertThrows<PushTimeoutException> { channel.joinAwait(200.milliseconds) }

        assertThat(timeout.timeout()).isEqualTo(Duration.ofMillis(200))
        connection.takeInbound("phx_leave", Duration.ofSeconds(10))
        realTime { channel.states.first { it == ChannelState.CLOSED } }
    }

    @Test
    fun cancellingAJoinAwaitLeavesTheChannel() = runTest {
        val connection = room.connect()
        room.server.faults().dropReplies { it.event() == "phx_join" }
        val channel = room.socket.channel("room:1")
        val joining = launch(start = CoroutineStart.UNDISPATCHED) { channel.joinAwait() }
        connection.takeInbound("phx_join", Duration.ofSeconds(10)) // the server has joined; its reply is lost

        joining.cancelAndJoin()

        connection.takeInbound("phx_leave", Duration.ofSeconds(10))
        realTime { channel.states.first { it == ChannelState.CLOSED } }
        eventually { channel !in room.socket.channels() }
        eventually { "room:1" !in connection.joinedTopics() }
    }

    @Test
    fun pushAwaitReturnsOkAndThrowsOnErrorAndTimeout() = runTest {
        room.connect()
        val channel = room.socket.channel("room:1")
        channel.joinAwait()

        val echoed = channel.push("echo", mapOf("body" to "hi")).await()
        val error = assertThrows<ErrorReplyException> { channel.push("fail", mapOf<String, Any>()).await() }
        val timeout = assertThrows<PushTimeoutException> {
            channel.push("silent", mapOf<String, Any>(), Duration.ofMillis(100)).await()
        }

        assertThat(echoed.response().get("body").asText()).isEqualTo("hi")
        assertThat(error.reply().response().get("reason").asText()).isEqualTo("no")
        assertThat(timeout.timeout()).isEqualTo(Duration.ofMillis(100))
    }

    @Test
    fun typedAwaitConvertsTheOkResponse() = runTest {
        room.connect()
        val channel = room.socket.channel("room:1")
        channel.joinAwait()

        val echo = channel.push("echo", Echo("typed")).await<Echo>()

        assertThat(echo).isEqualTo(Echo("typed"))
    }

    @Test
    fun cancellingAPushAwaitStopsWaitingButNotThePush() = runTest {
        val connection = room.connect()
        val channel = room.socket.channel("room:1")
        channel.joinAwait()
        room.server.faults().delayReplies(Duration.ofMillis(300)) { it.event() == "echo" }
        val push = channel.push("echo", mapOf("body" to "still sent"))
        val waiting = launch(start = CoroutineStart.UNDISPATCHED) { push.await() }

        waiting.cancelAndJoin()

        // The push went out and is answered; another awaiter of the same push still gets the reply.
        assertThat(connection.takeInbound("echo", Duration.ofSeconds(10)).payload().get("body").asText())
            .isEqualTo("still sent")
        val reply = realTime { async { push.await() }.await() }
        assertThat(reply.response().get("body").asText()).isEqualTo("still sent")
        assertThat(channel.state()).isEqualTo(ChannelState.JOINED)
    }
}
