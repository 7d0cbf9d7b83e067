package io.phoenixchannels.benchmarks.clients;

/**
 * One client library as the workloads drive it: it opens sockets, each socket joins channels. Every JVM client of
 * the comparison implements it (phoenix.js has the same shape in {@code phoenixjs/client.js}), so each workload is
 * written once and puts exactly the same traffic through every client.
 */
public interface BenchClient extends AutoCloseable {

  /**
   * Opens a socket; it starts connecting at once.
   *
   * @param url the socket endpoint, such as {@code ws://127.0.0.1:4000/socket}
   * @return the socket
   */
  BenchSocket open(String url);

  /**
   * Counts what went wrong so far: error replies, timeouts, failed connects and joins.
   *
   * @return the number of failures
   */
  long errors();

  /**
   * Returns the first failure, to tell in the results what the errors were.
   *
   * @return its description, or {@code null} if nothing failed
   */
  String firstError();

  /** Releases what the client shares between its sockets (thread pools, HTTP clients); sockets are gone by then. */
  @Override
  void close();
}
