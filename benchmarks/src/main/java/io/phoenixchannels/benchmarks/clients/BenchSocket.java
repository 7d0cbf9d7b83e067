package io.phoenixchannels.benchmarks.clients;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/** One socket of a {@link BenchClient}. */
public interface BenchSocket {

  /**
   * Joins a channel; the socket may still be connecting.
   *
   * @param topic the topic
   * @param params the join params
   * @return completes with the channel once the server replied ok to the join
   */
  CompletableFuture<BenchChannel> join(String topic, Map<String, Object> params);

  /**
   * Joins a channel with a Presence of this socket's own that counts its keys as a user would: a key that
   * arrives (its first meta joins) adds one, a key whose last meta leaves takes one away.
   *
   * @param topic the topic
   * @param params the join params
   * @param synced called after every sync of the list with the keys it holds, on the client's callback thread
   * @return the list
   * @throws UnsupportedOperationException if the client has no Presence
   */
  default BenchPresence joinWithPresence(String topic, Map<String, Object> params, IntConsumer synced) {
    throw new UnsupportedOperationException("this client has no Presence");
  }

  /** Closes the socket without waiting for the server. */
  void close();
}
