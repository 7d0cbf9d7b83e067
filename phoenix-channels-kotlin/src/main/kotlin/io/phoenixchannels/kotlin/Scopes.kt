@file:JvmName("Scopes")

package io.phoenixchannels.kotlin

import io.phoenixchannels.PhoenixChannel
import io.phoenixchannels.PhoenixSocket
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.asExecutor

/**
 * Closes the socket when [scope] ends, completed or cancelled: an Android `lifecycleScope` or `viewModelScope`, a
 * server's application scope. Closing the socket leaves its channels and disconnects, as [PhoenixSocket.close] does.
 * The close runs on [Dispatchers.IO], because it may wait for the transport to close and the thread that ends the
 * scope may be a main thread that must not wait. If the scope has already ended, the socket is closed now.
 *
 * @param scope the scope whose end closes the socket
 * @return this socket, for chaining after `build()`
 * @throws IllegalArgumentException if the scope has no [Job] (such as `GlobalScope`), so it never ends
 */
public fun PhoenixSocket.closeWith(scope: CoroutineScope): PhoenixSocket {
    scope.job().invokeOnCompletion { Dispatchers.IO.asExecutor().execute { close() } }
    return this
}

/**
 * Leaves the channel when [scope] ends, completed or cancelled: the coroutine form of leaving a channel when the
 * screen or node that uses it goes away, while the socket lives on. [PhoenixChannel.close] does not wait, so it runs
 * on the thread that ends the scope. If the scope has already ended, the channel is left now.
 *
 * @param scope the scope whose end leaves the channel
 * @return this channel, for chaining after `socket.channel(...)`
 * @throws IllegalArgumentException if the scope has no [Job] (such as `GlobalScope`), so it never ends
 */
public fun PhoenixChannel.closeWith(scope: CoroutineScope): PhoenixChannel {
    scope.job().invokeOnCompletion { close() }
    return this
}

private fun CoroutineScope.job(): Job = requireNotNull(coroutineContext[Job]) {
    "the scope has no Job, so it never ends and would never close anything: $this"
}
