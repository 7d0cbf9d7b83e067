package io.phoenixchannels;

import io.phoenixchannels.internal.InMemoryFallbackMemory;
import java.net.URI;

/**
 * Remembers the endpoints whose WebSocket could not be established, so that sockets with a {@linkplain
 * PhoenixSocket.Builder#longPollFallback long-poll fallback} go straight to long-poll there instead of waiting for
 * the WebSocket to fail again — phoenix.js keeps the same memory in the browser's {@code sessionStorage}.
 *
 * <p>The default, {@link #shared()}, lives as long as the JVM and is shared by all its sockets, like a browser tab's
 * session storage. Implement this interface to keep the choice elsewhere (preferences on disk, per user) or to
 * scope it differently. Implementations must be thread-safe: sockets call them from their event loops, which may
 * be different threads. The methods must not block for long.
 */
public interface FallbackMemory {

  /**
   * Tells whether long-poll was remembered for an endpoint.
   *
   * @param endpoint the socket endpoint as given to {@link PhoenixSocket#builder(String)}, such as {@code
   *     ws://example.com/socket}
   * @return true to skip the WebSocket and connect with long-poll at once
   */
  boolean usesLongPoll(URI endpoint);

  /**
   * Remembers that an endpoint needs long-poll: a socket fell back to it and long-poll connected, while the
   * WebSocket had never passed its health check on that socket.
   *
   * @param endpoint the socket endpoint as given to {@link PhoenixSocket#builder(String)}
   */
  void rememberLongPoll(URI endpoint);

  /**
   * Forgets an endpoint, so that the next socket tries the WebSocket again (after a network change, for example).
   *
   * @param endpoint the socket endpoint as given to {@link PhoenixSocket#builder(String)}
   */
  void forget(URI endpoint);

  /**
   * Returns the memory that sockets use by default: one per JVM, in memory. It treats {@code ws} and {@code http}
   * (and {@code wss} and {@code https}) as the same endpoint, and ignores the endpoint's query.
   *
   * @return the shared memory
   */
  static FallbackMemory shared() {
    return InMemoryFallbackMemory.SHARED;
  }

  /**
   * Returns a new, empty memory of its own, in memory, for a group of sockets that should not share the JVM's
   * (or for tests).
   *
   * @return a new memory
   */
  static FallbackMemory inMemory() {
    return new InMemoryFallbackMemory();
  }
}
