package io.phoenixchannels.benchmarks.clients;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

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

  /** Closes the socket without waiting for the server. */
  void close();
}
