package io.phoenixchannels.kotlin

import io.phoenixchannels.ChannelState
import io.phoenixchannels.ManualEventLoop
import io.phoenixchannels.PhoenixSocket
import io.phoenixchannels.SocketState
import io.phoenixchannels.testing.FakeTransport
import java.time.Duration
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

/**
 * The StateFlows on a manual event loop, where the test thread runs the loop and the callbacks: each value is
 * checked right after the loop made the change, the states that no other callback reports included.
 */
class ManualClockStatesTest {
    private val loop = ManualEventLoop()
    private val fake = FakeTransport()
    private val socket = PhoenixSocket.builder("ws://example.test/socket")
        .eventLoop(loop)
        .transport(fake)
        .heartbeatInterval(Duration.ofHours(1))
        .build()

    @Test
    fun everyStateIsTheValueOnceTheLoopMadeIt() {
        val states = socket.states
        val channel = socket.channel("room:1")
        val channelStates = channel.states

        socket.connect()
        loop.runPending()
        assertThat(states.value).isEqualTo(SocketState.CONNECTING)

        channel.join()
        fake.last().open()
        loop.runPending()
        assertThat(states.value).isEqualTo(SocketState.OPEN)
        assertThat(channelStates.value).isEqualTo(ChannelState.JOINING)

        socket.disconnect()
        loop.runPending()
        assertThat(states.value).isEqualTo(socket.state()).isIn(SocketState.CLOSING, SocketState.CLOSED)
        assertThat(channelStates.value).isEqualTo(channel.state()).isEqualTo(ChannelState.ERRORED)
    }

    @Test
    fun aFlowCreatedAfterChangesStartsFromTheCurrentState() {
        socket.connect()
        fake.last().open()
        loop.runPending()

        assertThat(socket.states.value).isEqualTo(SocketState.OPEN)
    }
}
