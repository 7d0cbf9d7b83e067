@file:JvmName("Events")

package io.phoenixchannels.kotlin

import io.phoenixchannels.Message
import io.phoenixchannels.OverflowPolicy
import io.phoenixchannels.PhoenixChannel
import io.phoenixchannels.PhoenixException
import io.phoenixchannels.Subscription
import java.util.function.Consumer
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/** How many messages [events] holds for a collector that has not taken them yet, unless told otherwise. */
public const val DEFAULT_EVENT_BUFFER: Int = 1024

/**
 * The channel's messages of one event (or all of them) as a cold [Flow]: each collection registers a listener on
 * the channel when it starts, and removes it when the collection ends, normally, by an exception or by
 * cancellation. Like [PhoenixChannel.on], it is live: a collector gets the messages that arrive while it collects.
 * The Flow completes when the channel closes (left, closed by the server, given up), after the messages received
 * before; it does not complete when the channel errors and rejoins.
 *
 * Messages arrive on the socket's callback executor, which must never wait, and a Phoenix server does not slow down
 * for one client; so between them and a collector that suspends there is a buffer of [bufferSize] messages, the
 * same bounded buffer per subscriber as [PhoenixChannel.publisher] keeps, with the same [overflow] choices. The
 * default, [OverflowPolicy.ERROR], is the one that loses nothing: while the collector is behind, messages wait for
 * it in order, and should it fall [bufferSize] messages behind, the Flow fails with a [PhoenixException] saying so
 * rather than drop one silently. [OverflowPolicy.DROP_OLDEST] suits a collector that wants the latest state,
 * [OverflowPolicy.DROP_NEWEST] one that wants what came first.
 *
 * The collector runs in its own coroutine context (use `flowOn` or collect on the dispatcher you want), not on the
 * callback executor.
 *
 * @param event the event name, as for [PhoenixChannel.on]; `null` for every message of the channel, replies
 *   included, as [PhoenixChannel.onMessage] gets them
 * @param bufferSize how many received messages may wait for the collector, at least 1
 * @param overflow what to do with a message that does not fit
 * @return a cold Flow; every collection is an independent subscription
 * @throws IllegalArgumentException if [bufferSize] is not positive
 */
public fun PhoenixChannel.events(
    event: String? = null,
    bufferSize: Int = DEFAULT_EVENT_BUFFER,
    overflow: OverflowPolicy = OverflowPolicy.ERROR,
): Flow<Message> =
    listenerFlow(event ?: "every message", bufferSize, overflow) { deliver ->
        if (event == null) onMessage(deliver) else on(event, deliver)
    }

/**
 * The payloads of one event converted to [T] by the socket's `ObjectMapper`, as a cold [Flow]: [events] with
 * [PhoenixChannel.on]'s typed conversion. A payload that does not convert is reported to the socket's error
 * listeners as a [io.phoenixchannels.ProtocolException] and skipped, as for the typed `on`. Records and
 * `@JvmRecord data class`es convert with any mapper; a plain Kotlin data class needs a mapper that knows Kotlin
 * (jackson-module-kotlin).
 *
 * Buffering, overflow, completion and cancellation are those of [events].
 *
 * @param T the payload type
 * @param event the event name; `null` is refused. (Its type is nullable like the untyped [events]'s so that
 *   `events("x")` without a type argument resolves to the untyped one: Kotlin would otherwise prefer this overload
 *   for its more specific parameter and then fail to infer [T].)
 * @param bufferSize how many received payloads may wait for the collector, at least 1
 * @param overflow what to do with a payload that does not fit
 * @return a cold Flow of converted payloads
 * @throws IllegalArgumentException if [bufferSize] is not positive, or [event] is `null`
 */
@JvmName("typedEvents")
public inline fun <reified T : Any> PhoenixChannel.events(
    event: String?,
    bufferSize: Int = DEFAULT_EVENT_BUFFER,
    overflow: OverflowPolicy = OverflowPolicy.ERROR,
): Flow<T> = events(requireNotNull(event) { "a typed Flow needs an event name" }, T::class.java, bufferSize, overflow)

/**
 * The typed Flow of [events] for a class known at run time; [events] with a type parameter calls it.
 *
 * @param event the event name
 * @param type the payload class
 * @param bufferSize how many received payloads may wait for the collector, at least 1
 * @param overflow what to do with a payload that does not fit
 * @return a cold Flow of converted payloads
 */
public fun <T : Any> PhoenixChannel.events(
    event: String,
    type: Class<T>,
    bufferSize: Int = DEFAULT_EVENT_BUFFER,
    overflow: OverflowPolicy = OverflowPolicy.ERROR,
): Flow<T> = listenerFlow(event, bufferSize, overflow) { deliver -> on(event, type, deliver) }

private fun <T> PhoenixChannel.listenerFlow(
    what: String,
    bufferSize: Int,
    overflow: OverflowPolicy,
    register: PhoenixChannel.(Consumer<T>) -> Subscription,
): Flow<T> {
    require(bufferSize > 0) { "bufferSize must be positive, got $bufferSize" }
    val channel = this
    return flow {
        // Registered here, in the collector's coroutine, so a collection started UNDISPATCHED is listening by the
        // time its launch returns (before a join goes out, say).
        val buffer = Channel<T>(bufferSize, overflow.toBufferOverflow())
        val listener = channel.register(Consumer { value ->
            val sent = buffer.trySend(value)
            if (sent.isFailure && !sent.isClosed) {
                buffer.close(PhoenixException("the collector of '$what' on '${channel.topic()}' fell behind: " +
                    "$bufferSize messages were waiting for it (OverflowPolicy.ERROR); collect faster, raise " +
                    "bufferSize, or choose DROP_OLDEST or DROP_NEWEST"))
            }
        })
        val closes = channel.onClose { buffer.close() }
        try {
            if (!channel.socket().channels().contains(channel)) {
                buffer.close() // closed before this collection listened for it: no close event will come
            }
            for (value in buffer) {
                emit(value)
            }
        } finally {
            listener.close()
            closes.close()
        }
    }
}

private fun OverflowPolicy.toBufferOverflow(): BufferOverflow = when (this) {
    OverflowPolicy.DROP_OLDEST -> BufferOverflow.DROP_OLDEST
    OverflowPolicy.DROP_NEWEST -> BufferOverflow.DROP_LATEST
    // A full buffer refuses trySend, and the listener fails the Flow: the callback executor never waits.
    OverflowPolicy.ERROR -> BufferOverflow.SUSPEND
}
