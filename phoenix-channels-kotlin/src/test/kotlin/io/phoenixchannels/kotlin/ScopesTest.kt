package io.phoenixchannels.kotlin

import io.phoenixchannels.ChannelState
import io.phoenixchannels.SocketState
import java.time.Duration
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.test.runTest
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class ScopesTest {
    private val room = TestRoom()

    @AfterEach
    fun close() = room.close()

    @Test
    fun aChannelIsLeftWhenItsScopeIsCancelled() = runTest {
        val connection = room.connect()
        val screen = CoroutineScope(Job())
        val channel = room.socket.channel("room:1").closeWith(screen)
        channel.joinAwait()

        screen.cancel()

        connection.takeInbound("phx_leave", Duration.ofSeconds(10))
        realTime { channel.states.first { it == ChannelState.CLOSED } }
        assertThat(room.socket.state()).`as`("the socket lives on").isEqualTo(SocketState.OPEN)
    }

    @Test
    fun aSocketIsClosedWhenItsScopeCompletes() = runTest {
        val connection = room.connect()
        val application = Job()
        room.socket.closeWith(CoroutineScope(application))
        val channel = room.socket.channel("room:1")
        channel.joinAwait()

        application.complete()

        connection.awaitClose(Duration.ofSeconds(10))
        realTime { channel.states.first { it == ChannelState.CLOSED } }
        realTime { room.socket.states.first { it == SocketState.CLOSED } }
        assertThat(room.socket.channels()).isEmpty()
    }

    @Test
    fun aScopeThatEndedAlreadyClosesAtOnce() = runTest {
        val ended = CoroutineScope(Job().apply { cancel() })
        val channel = room.socket.channel("room:1").closeWith(ended)

        realTime { channel.states.first { it == ChannelState.CLOSED } }
        eventually { channel !in room.socket.channels() }
    }

    @Test
    @Suppress("OPT_IN_USAGE")
    fun aScopeWithoutAJobIsRefused() {
        assertThrows<IllegalArgumentException> { room.socket.closeWith(GlobalScope) }
    }
}
