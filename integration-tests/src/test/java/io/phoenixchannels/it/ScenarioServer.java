package io.phoenixchannels.it;

import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server of one scenario run: the test server started for it, or the shared real Phoenix server of a
 * {@link Target}. What only the test server can do (recording frames, listing connections, injecting faults) is
 * behind {@link #testServer()}: a scenario checks the wire through it where it is there, and what the client sees
 * everywhere.
 */
final class ScenarioServer implements AutoCloseable {
  private static final AtomicInteger TOPICS = new AtomicInteger();

  private final PhoenixTestServer testServer;
  private final RealPhoenix real;

  private ScenarioServer(PhoenixTestServer testServer, RealPhoenix real) {
    this.testServer = testServer;
    this.real = real;
  }

  static ScenarioServer test(PhoenixTestServer server) {
    return new ScenarioServer(server, null);
  }

  static ScenarioServer real(RealPhoenix server) {
    return new ScenarioServer(null, server);
  }

  String url() {
    return testServer != null ? testServer.url() : real.url();
  }

  PhoenixVersion version() {
    return testServer != null ? testServer.version() : real.version();
  }

  boolean isReal() {
    return real != null;
  }

  /** The test server, for the checks only it can make; empty on a real server. */
  Optional<PhoenixTestServer> testServer() {
    return Optional.ofNullable(testServer);
  }

  /**
   * How long the server holds an idle long-poll request, at most: a session the server ended is noticed by the
   * client when its held poll returns (issue 14). The test servers' short window, or Phoenix's 10 s plus room.
   */
  Duration pollWindow() {
    return testServer != null ? ClientKit.LONG_POLL_WINDOW : Duration.ofSeconds(10).plus(ClientKit.WAIT);
  }

  /**
   * A topic for this run: the name itself on a test server started for the run; on a shared real server the name
   * with a suffix of its own (still matching the same route, {@code room:private} stays {@code room:private...}),
   * so that no earlier run's lingering long-poll session or Presence entry shows up in it.
   */
  String topic(String name) {
    return testServer != null ? name : name + "-" + TOPICS.incrementAndGet();
  }

  /**
   * A user id for this run: the id itself on a test server, with a suffix of its own on a shared real server (the
   * reference app disconnects every socket of a user on {@code disconnect_me}, and Presence lists users).
   */
  String user(String id) {
    return topic(id);
  }

  /** Restarts the server on the same port: the test server in process, the real one by stop.sh and start.sh. */
  void restart() {
    if (testServer != null) {
      testServer.restart();
    } else {
      real.stop();
      real.start();
    }
  }

  /** Closes the test server; the shared real server keeps running for the next scenario. */
  @Override
  public void close() {
    if (testServer != null) {
      testServer.close();
    }
  }

  @Override
  public String toString() {
    return testServer != null ? "test server " + version() : real.toString();
  }
}
