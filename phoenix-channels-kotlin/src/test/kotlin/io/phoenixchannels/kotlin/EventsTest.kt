package io.phoenixchannels.kotlin

import io.phoenixchannels.OverflowPolicy
import io.phoenixchannels.PhoenixException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runTest
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class EventsTest {
    private val room = TestRoom()

    @AfterEach
    fun close() = room.close()

    @JvmRecord
    data class Tick(val n: Int)

    private fun broadcast(vararg ns: Int) = ns.forEach { room.server.broadcast("room:1", "tick", mapOf("n" to it)) }

    @Test
    fun deliversTheEventsMessagesInOrderAndSubscribesOnCollection() = runTest {
        room.connect()
        val channel = room.socket.channel("room:1")
        val ticks = channel.events("tick")
        assertThat(channel.listenerCount()).`as`("a cold Flow: nothing registered before collection").isZero()

        val received = async(start = CoroutineStart.UNDISPATCHED) {
            ticks.map { it.payload().get("n").asInt() }.take(3).toList()
        }
        assertThat(channel.listenerCount()).isEqualTo(2) // its message listener and its close listener
        channel.joinAwait()
        broadcast(1, 2, 3)

        assertThat(realTime { received.await() }).containsExactly(1, 2, 3)
        assertThat(channel.listenerCount()).`as`("take(3) ended the collection").isZero()
    }

    @Test
    fun typedEventsConvertThePayload() = runTest {
        room.connect()
        val channel = room.socket.channel("room:1")
        val received = async(start = CoroutineStart.UNDISPATCHED) { channel.events<Tick>("tick").take(2).toList() }
        channel.joinAwait()
        broadcast(7, 8)

        assertThat(realTime { received.await() }).containsExactly(Tick(7), Tick(8))
    }

    @Test
    fun aCollectorCancelledMidStreamUnsubscribes() = runTest {
        room.connect()
        val channel = room.socket.channel("room:1")
        val seen = Channel<Int>(Channel.UNLIMITED)
        val collecting = launch(start = CoroutineStart.UNDISPATCHED) {
            channel.events<Tick>("tick").collect { seen.send(it.n) }
        }
        channel.joinAwait()
        broadcast(1)
        assertThat(realTime { seen.receive() }).isEqualTo(1)

        collecting.cancelAndJoin()

        assertThat(channel.listenerCount()).isZero()
        broadcast(2)
        channel.push("echo", mapOf<String, Any>()).await() // the broadcast was dispatched before this reply
        // A fresh collection sees the next one: the socket and channel go on.
        val next = async(start = CoroutineStart.UNDISPATCHED) { channel.events<Tick>("tick").take(1).toList() }
        broadcast(3)
        assertThat(realTime { next.await() }).containsExactly(Tick(3))
        assertThat(seen.tryReceive().isSuccess).`as`("nothing reached the cancelled collector").isFalse()
    }

    @Test
    fun noListenerLeaksAfterAThousandCollectCancelCycles() = runTest {
        room.connect()
        val channel = room.socket.channel("room:1")
        channel.joinAwait()

        repeat(1_000) {
            val collecting = launch(start = CoroutineStart.UNDISPATCHED) { channel.events("tick").collect() }
            collecting.cancelAndJoin()
        }
        repeat(1_000) {
            val everything = launch(start = CoroutineStart.UNDISPATCHED) { channel.events().collect() }
            everything.cancelAndJoin()
        }

        assertThat(channel.listenerCount()).isZero()
    }

    @Test
    fun completesWhenTheChannelIsLeftAfterTheMessagesBefore() = runTest {
        room.connect()
        val channel = room.socket.channel("room:1")
        val received = async(start = CoroutineStart.UNDISPATCHED) { channel.events<Tick>("tick").toList() }
        channel.joinAwait()
        broadcast(1, 2)
        channel.push("echo", mapOf<String, Any>()).await() // the broadcasts came before this reply

        channel.leave()

        assertThat(realTime { received.await() }).containsExactly(Tick(1), Tick(2))
        assertThat(channel.listenerCount()).isZero()
    }

    @Test
    fun aClosedChannelsFlowCompletesAtOnce() = runTest {
        room.connect()
        val channel = room.socket.channel("room:1")
        channel.joinAwait()
        channel.leave().await()

        assertThat(realTime { channel.events().toList() }).isEmpty()
    }

    @Test
    fun aCollectorThatFallsBehindTheBufferFailsLoudlyByDefault() = runTest {
        room.connect()
        val channel = room.socket.channel("room:1")
        val gate = CompletableDeferred<Unit>()
        val seen = mutableListOf<Int>()
        val collecting = async(start = CoroutineStart.UNDISPATCHED) {
            runCatching { channel.events<Tick>("tick", bufferSize = 2).collect { seen += it.n; gate.await() } }
        }
        channel.joinAwait()
        broadcast(1, 2, 3, 4, 5)
        channel.push("echo", mapOf<String, Any>()).await() // all five were dispatched before this reply

        gate.complete(Unit)

        val failure = realTime { collecting.await() }.exceptionOrNull()
        assertThat(failure).isInstanceOf(PhoenixException::class.java).hasMessageContaining("fell behind")
        assertThat(seen).`as`("what fitted was delivered, in order, before the failure").containsExactly(1, 2, 3)
        assertThat(channel.listenerCount()).isZero()
    }

    @Test
    fun dropOldestKeepsTheLatest() = runTest {
        room.connect()
        val channel = room.socket.channel("room:1")
        val gate = CompletableDeferred<Unit>()
        val seen = mutableListOf<Int>()
        val collecting = launch(start = CoroutineStart.UNDISPATCHED) {
            channel.events<Tick>("tick", bufferSize = 2, overflow = OverflowPolicy.DROP_OLDEST)
                .take(3).collect { seen += it.n; gate.await() }
        }
        channel.joinAwait()
        broadcast(1, 2, 3, 4, 5)
        channel.push("echo", mapOf<String, Any>()).await()

        gate.complete(Unit)
        realTime { collecting.join() }

        assertThat(seen).containsExactly(1, 4, 5)
    }

    @Test
    fun rejectsANonPositiveBuffer() {
        val channel = room.socket.channel("room:1")
        assertThrows<IllegalArgumentException> { channel.events("tick", bufferSize = 0) }
    }
}
