package io.phoenixchannels.kotlin

import io.phoenixchannels.PhoenixChannel
import io.phoenixchannels.PhoenixSocket
import io.phoenixchannels.SocketState
import io.phoenixchannels.testserver.ChannelHandler
import io.phoenixchannels.testserver.ClientConnection
import io.phoenixchannels.testserver.HandleResult
import io.phoenixchannels.testserver.InboundEvent
import io.phoenixchannels.testserver.JoinRequest
import io.phoenixchannels.testserver.JoinResult
import io.phoenixchannels.testserver.PhoenixTestServer
import io.phoenixchannels.testserver.ServerChannel
import io.phoenixchannels.internal.ListenerList
import java.time.Duration
import org.awaitility.Awaitility
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout

/**
 * A test server whose `room:*` channels accept every join (unless the params say `"refuse": true`), track the
 * joiner's `user` param in Presence, and answer events by name: `echo` replies ok with the payload, `fail` replies
 * error, `silent` never replies. One socket is connected to it.
 */
class TestRoom : AutoCloseable {
    val server: PhoenixTestServer = PhoenixTestServer.builder()
        .channel("room:*") { Handler() }
        .start()
    val socket: PhoenixSocket = PhoenixSocket.builder(server.url()).build()

    private class Handler : ChannelHandler {
        override fun join(request: JoinRequest): JoinResult =
            if (request.param("refuse")?.asBoolean() == true) JoinResult.error(mapOf("reason" to "unauthorized"))
            else JoinResult.ok(mapOf("welcome" to "in"))

        override fun afterJoin(channel: ServerChannel) {
            channel.joinParams().get("user")?.let {
                channel.track(it.asText(), mapOf("online_at" to 1))
                channel.pushPresenceState()
            }
        }

        override fun handleIn(event: InboundEvent): HandleResult = when (event.event()) {
            "echo" -> HandleResult.ok(event.payload())
            "fail" -> HandleResult.error(mapOf("reason" to "no"))
            "silent" -> HandleResult.noReply()
            else -> throw UnsupportedOperationException(event.event())
        }
    }

    /** Connects the socket and returns the server's side of the connection. */
    suspend fun connect(): ClientConnection {
        socket.connect()
        val connection = server.takeConnection(Duration.ofSeconds(10))
        realTime { socket.states.first { it == SocketState.OPEN } }
        return connection
    }

    override fun close() {
        socket.close()
        server.close()
    }
}

/** Waits for something that real threads do (the server, the socket's loop), with a real-time limit. */
suspend fun <T> realTime(block: suspend () -> T): T =
    withContext(Dispatchers.Default) { withTimeout(10.seconds) { block() } }

/** Waits, in real time, until a condition that other threads make true holds. */
fun eventually(condition: () -> Boolean) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition)
}

/** How many listeners of any kind are registered on the channel: what a Flow collection must give back. */
fun PhoenixChannel.listenerCount(): Int {
    val callbacks = PhoenixChannel::class.java.getDeclaredField("callbacks").apply { isAccessible = true }.get(this)
    fun field(name: String): Any =
        callbacks.javaClass.getDeclaredField(name).apply { isAccessible = true }.get(callbacks)
    return (field("bindings") as List<*>).size +
        (field("messageListeners") as ListenerList<*>).size() +
        (field("closeListeners") as ListenerList<*>).size()
}
