@file:JvmName("States")

package io.phoenixchannels.kotlin

import io.phoenixchannels.ChannelState
import io.phoenixchannels.PhoenixChannel
import io.phoenixchannels.PhoenixPresence
import io.phoenixchannels.PhoenixSocket
import io.phoenixchannels.Presence
import io.phoenixchannels.SocketState
import io.phoenixchannels.Subscription
import java.util.WeakHashMap
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * The socket's [state][PhoenixSocket.state] as a [StateFlow]: connecting, open, closing, closed. Its value is the
 * state the event loop last published, as [PhoenixSocket.state] reads it, and it is updated on the socket's callback
 * executor after every change. Like every StateFlow it is conflated: a collector sees the latest state, not
 * necessarily each one in between ([PhoenixSocket.onStateChange] reports each).
 *
 * Every read of this property returns the same StateFlow, for as long as the socket exists; it costs the socket one
 * listener, however many collect it.
 */
public val PhoenixSocket.states: StateFlow<SocketState>
    get() = socketStates.mirror(this) { mirror(::state) { changed -> onStateChange { changed() } } }

/**
 * The channel's [state][PhoenixChannel.state] as a [StateFlow]: joining, joined, errored, leaving, closed. Updated
 * on the socket's callback executor after every change, conflated like [PhoenixSocket.states]; one StateFlow and
 * one listener per channel, however often this is read.
 */
public val PhoenixChannel.states: StateFlow<ChannelState>
    get() = channelStates.mirror(this) { mirror(::state) { changed -> onStateChange { changed() } } }

/**
 * The presences of the channel as a [StateFlow], updated on every sync (after each `presence_state` and
 * `presence_diff` the Presence applied), on the socket's callback executor; its value is [PhoenixPresence.list]. It
 * is empty until the first sync. Every call returns the same StateFlow for this Presence, which costs it one sync
 * listener.
 *
 * @return the list, as immutable snapshots
 */
public fun PhoenixPresence.listFlow(): StateFlow<List<Presence>> =
    presenceLists.mirror(this) { mirror(::list) { changed -> onSync { changed() } } }

private val socketStates = Mirrors<PhoenixSocket, SocketState>()
private val channelStates = Mirrors<PhoenixChannel, ChannelState>()
private val presenceLists = Mirrors<PhoenixPresence, List<Presence>>()

/** One StateFlow per object, held no longer than the object: the listener that updates it belongs to the object. */
private class Mirrors<K : Any, V> {
    private val flows = WeakHashMap<K, StateFlow<V>>()

    @Synchronized
    fun mirror(owner: K, create: K.() -> StateFlow<V>): StateFlow<V> = flows.getOrPut(owner) { owner.create() }
}

/**
 * A StateFlow that follows a value published by the event loop. Each notification reads the value as it is now
 * instead of taking the one the notification carries, under a lock shared with the first read, so whichever runs last
 * writes the newest value: a change made while the listener was being registered is never lost, and an older value
 * never overwrites a newer one. The flow holds no reference to its owner (the weak map's key).
 */
private fun <V> mirror(read: () -> V, listen: (changed: () -> Unit) -> Subscription): StateFlow<V> {
    val flow = MutableStateFlow(read())
    val lock = Any()
    val refresh = { synchronized(lock) { flow.value = read() } }
    listen(refresh)
    refresh()
    return flow.asStateFlow()
}
