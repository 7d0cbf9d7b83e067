package io.phoenixchannels.kotlin

import io.phoenixchannels.ChannelState
import io.phoenixchannels.PhoenixPresence
import io.phoenixchannels.PhoenixSocket
import io.phoenixchannels.SocketState
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.test.runTest
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

class StatesTest {
    private val room = TestRoom()

    @AfterEach
    fun close() = room.close()

    @Test
    fun socketStatesFollowTheConnection() = runTest {
        // A StateFlow is conflated: a collector sees the latest state, so the test awaits states, not a sequence.
        val states = room.socket.states
        assertThat(states.value).isEqualTo(SocketState.CLOSED)

        room.connect() // returns once states shows OPEN
        assertThat(states.value).isEqualTo(SocketState.OPEN)
        room.socket.disconnect()

        assertThat(realTime { states.first { it == SocketState.CLOSED } }).isEqualTo(SocketState.CLOSED)
        assertThat(room.socket.state()).isEqualTo(SocketState.CLOSED)
    }

    @Test
    fun channelStatesFollowJoinAndLeave() = runTest {
        room.connect()
        val channel = room.socket.channel("room:1")
        assertThat(channel.states.value).isEqualTo(ChannelState.CLOSED)

        channel.joinAwait()
        assertThat(realTime { channel.states.first { it == ChannelState.JOINED } }).isEqualTo(ChannelState.JOINED)
        channel.leave().await()

        assertThat(realTime { channel.states.first { it == ChannelState.CLOSED } }).isEqualTo(ChannelState.CLOSED)
    }

    @Test
    fun everyReadReturnsTheSameFlowAndOneListener() {
        val channel = room.socket.channel("room:1")
        val first = channel.states
        repeat(100) { assertThat(channel.states).isSameAs(first) }
        assertThat(room.socket.states).isSameAs(room.socket.states)
        val presence = PhoenixPresence(channel)
        assertThat(presence.listFlow()).isSameAs(presence.listFlow())
    }

    @Test
    fun presenceListFlowIsUpdatedOnSync() = runTest {
        room.connect()
        val channel = room.socket.channel("room:1", mapOf("user" to "ada"))
        val online = PhoenixPresence(channel).listFlow()
        assertThat(online.value).isEmpty()

        channel.joinAwait()
        val synced = realTime { online.first { it.isNotEmpty() } }
        assertThat(synced.map { it.key() }).containsExactly("ada")

        PhoenixSocket.builder(room.server.url()).build().use { bobs ->
            bobs.connect()
            bobs.channel("room:1", mapOf("user" to "bob")).joinAwait()
            val both = realTime { online.first { it.size == 2 } }
            assertThat(both.map { it.key() }).containsExactly("ada", "bob")
        }
        val left = realTime { online.first { it.size == 1 } }
        assertThat(left.map { it.key() }).containsExactly("ada")
    }
}
