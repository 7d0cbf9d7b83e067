/**
 * Kotlin coroutines over Phoenix Channels for Java: suspend functions for joins and pushes, Flows of a channel's
 * messages, StateFlows of socket, channel and Presence state, and closing with a {@code CoroutineScope}.
 */
module io.phoenixchannels.kotlin {
  requires transitive io.phoenixchannels;
  requires transitive kotlin.stdlib;
  requires transitive kotlinx.coroutines.core;

  exports io.phoenixchannels.kotlin;
}
