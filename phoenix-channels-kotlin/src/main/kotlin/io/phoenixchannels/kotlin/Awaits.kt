@file:JvmName("Awaits")

package io.phoenixchannels.kotlin

import io.phoenixchannels.ErrorReplyException
import io.phoenixchannels.PhoenixChannel
import io.phoenixchannels.Push
import io.phoenixchannels.PushTimeoutException
import io.phoenixchannels.Reply
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionException
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlin.time.Duration
import kotlin.time.toJavaDuration
import kotlinx.coroutines.suspendCancellableCoroutine

/**
 * Joins the channel and suspends until the server answers the join: the suspending form of
 * [PhoenixChannel.join]. Call it before or after [io.phoenixchannels.PhoenixSocket.connect]; a join made while the
 * socket is down goes out when it connects, and its timeout runs from now.
 *
 * Unlike [PhoenixChannel.join], whose receivers see every rejoin, this waits for the first answer only, and leaves
 * nothing half-joined behind: when it does not return normally, the channel is [left][PhoenixChannel.leave]
 * before the exception reaches the caller. So a channel that this failed to join is closed, and joining again takes a
 * new channel from the socket. Once joined, the channel rejoins by itself after a lost connection, as always.
 *
 * @param timeout how long the join waits for its reply; `null` for the socket's default timeout
 * @return the server's `ok` reply; its response is what the channel's `join/3` returned
 * @throws ErrorReplyException the server refused the join (its reply is in the exception)
 * @throws PushTimeoutException no reply within the timeout
 * @throws io.phoenixchannels.PhoenixException the join could not be sent (the socket or channel closed meanwhile)
 * @throws kotlinx.coroutines.CancellationException the calling coroutine was cancelled; the channel is left
 * @throws IllegalStateException this channel was joined before
 */
public suspend fun PhoenixChannel.joinAwait(timeout: Duration? = null): Reply {
    val push = if (timeout == null) join() else join(timeout.toJavaDuration())
    try {
        return push.await()
    } catch (e: Throwable) {
        // Cancelled, refused or timed out: without this the channel would go on rejoining on its own.
        close() // leave() but quiet when the socket is closed: the caller gets the original exception
        throw e
    }
}

/**
 * Suspends until the push's first outcome and returns the `ok` reply: the suspending form of [Push.toFuture].
 *
 * Cancelling the calling coroutine stops the waiting only: the push itself is not recalled (it may already be on
 * the wire, and Phoenix has no way to take it back), so the server may still act on it. The reply, if it comes,
 * is then dropped.
 *
 * @return the `ok` reply
 * @throws ErrorReplyException the server answered with an `error` reply (or another status than `ok`); the reply is
 *   in the exception, for example `e.reply().as(Problem::class.java)`
 * @throws PushTimeoutException no reply came within the push's timeout
 * @throws io.phoenixchannels.PhoenixException the push could not be sent: a full buffer, a closed socket or channel
 */
public suspend fun Push.await(): Reply {
    val reply = toFuture().awaitOutcome()
    val failure = reply.failure()
    if (failure.isPresent) {
        throw failure.get()
    }
    if (!reply.isOk) {
        throw ErrorReplyException(channel().topic(), event(), reply)
    }
    return reply
}

/**
 * Suspends until the push's first outcome and returns its `ok` response as a [T], converted by the socket's
 * `ObjectMapper`: the suspending form of [Push.toFuture] with a type. A record, a `@JvmRecord data class`, a
 * `JsonNode` or `ByteArray` (a binary reply) convert with any mapper; a plain Kotlin data class needs a mapper that
 * knows Kotlin (`jacksonObjectMapper()` of jackson-module-kotlin, passed to the socket's builder).
 *
 * Cancelling the calling coroutine stops the waiting only; the push is not recalled.
 *
 * @param T the type of the `ok` response; its class is used, so a generic type's arguments are not
 * @return the converted response
 * @throws ErrorReplyException the server answered with an `error` reply
 * @throws PushTimeoutException no reply within the push's timeout
 * @throws io.phoenixchannels.ProtocolException the response does not convert to [T]
 * @throws io.phoenixchannels.PhoenixException the push could not be sent
 */
@JvmName("awaitAs")
public suspend inline fun <reified T : Any> Push.await(): T = awaitAs(T::class.java)

/**
 * The typed await for a class known at run time; [await] with a type parameter calls it.
 *
 * @param type the class of the `ok` response
 * @return the converted response
 */
public suspend fun <T : Any> Push.awaitAs(type: Class<T>): T = toFuture(type).awaitOutcome()

/**
 * Waits for a future without cancelling it when the waiting coroutine is cancelled: a push's future is shared by
 * every caller of [Push.toFuture], so one caller giving up must not fail it for the others.
 */
internal suspend fun <T> CompletableFuture<T>.awaitOutcome(): T =
    suspendCancellableCoroutine { continuation ->
        whenComplete { value, error ->
            if (error == null) {
                continuation.resume(value)
            } else {
                continuation.resumeWithException(if (error is CompletionException) error.cause ?: error else error)
            }
        }
    }
