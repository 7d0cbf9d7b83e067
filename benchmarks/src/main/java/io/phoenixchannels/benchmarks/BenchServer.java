package io.phoenixchannels.benchmarks;

import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.ReferenceApp;

/**
 * The comparison's default server: the test server's reference app, recording nothing, on a loopback port of its
 * choosing, in a process of its own so that the clients' CPU time is measured apart from it. Prints
 * {@code URL ws://127.0.0.1:PORT/socket} and serves until its standard input closes (the runner ending).
 */
public final class BenchServer {
  private BenchServer() {}

  /**
   * Serves until standard input reaches its end.
   *
   * @param args none
   * @throws Exception if the server cannot start
   */
  public static void main(String[] args) throws Exception {
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder()
        .host("127.0.0.1")
        .port(0)
        .recordFrames(false)).start()) {
      System.out.println("URL " + server.url());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Serve until the runner closes the pipe.
      }
    }
    Runtime.getRuntime().halt(0);
  }
}
