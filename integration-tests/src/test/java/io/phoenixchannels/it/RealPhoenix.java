package io.phoenixchannels.it;

import io.phoenixchannels.testserver.PhoenixVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Phoenix server (1.7.24 or 1.8.12, the reference app of {@code conformance/README.md}) run by the
 * {@code start.sh} and {@code stop.sh} of the folder that system property {@value #DIR} names; the Maven build
 * passes {@code ../shared/phoenix} of the repository's root unless told otherwise. Each instance listens on a
 * free port of 127.0.0.1 and keeps its state and its log under {@code target/real-phoenix/VERSION-PORT/}.
 *
 * <p>The real-server runs are on when system property {@value #ENABLED} is {@code true} (the Maven profile
 * {@code real-phoenix} sets it). Without the folder they are skipped with one message
 * ({@link RealPhoenixServersTest}), unless {@value #REQUIRED} is {@code true}: then that is a failure.
 */
final class RealPhoenix {
  static final String ENABLED = "phoenix.real";
  static final String REQUIRED = "phoenix.real.required";
  static final String DIR = "phoenix.dir";
  private static final Path STATE = Path.of("target", "real-phoenix").toAbsolutePath();
  /** start.sh itself gives up after about 30 s; stop.sh after about 20. */
  private static final long SCRIPT_DEADLINE_SECONDS = 60;

  private static final Map<PhoenixVersion, RealPhoenix> SHARED = new EnumMap<>(PhoenixVersion.class);
  private static final Map<PhoenixVersion, AssertionError> FAILED_TO_START = new EnumMap<>(PhoenixVersion.class);
  private static final List<RealPhoenix> RUNNING = new ArrayList<>();

  static {
    // The servers run detached (setsid): stop every one this JVM started when the test run ends.
    Runtime.getRuntime().addShutdownHook(new Thread(RealPhoenix::stopAll, "real-phoenix-stop"));
  }

  private final PhoenixVersion version;
  private final int port;
  private boolean running;

  private RealPhoenix(PhoenixVersion version, int port) {
    this.version = version;
    this.port = port;
  }

  /** Whether this run asked for the real servers. */
  static boolean enabled() {
    return Boolean.getBoolean(ENABLED);
  }

  /** Whether a missing or broken real server fails the build rather than skipping its runs. */
  static boolean required() {
    return Boolean.getBoolean(REQUIRED);
  }

  /** The folder holding start.sh and stop.sh. */
  static Path folder() {
    return Path.of(System.getProperty(DIR, "../../shared/phoenix")).toAbsolutePath().normalize();
  }

  /** Why the real servers cannot run here, if they cannot: the folder or its scripts are missing. */
  static Optional<String> unavailable() {
    Path folder = folder();
    for (String script : List.of("start.sh", "stop.sh")) {
      if (!Files.isRegularFile(folder.resolve(script))) {
        return Optional.of("no real Phoenix servers: " + folder.resolve(script) + " does not exist (set -D" + DIR
            + "=<folder with start.sh and stop.sh> to run the suite against real Phoenix 1.7 and 1.8)");
      }
    }
    return Optional.empty();
  }

  /** Whether the scenario sources list the real servers: asked for, and there (or required, to fail loudly). */
  static boolean listed() {
    return enabled() && unavailable().isEmpty();
  }

  /**
   * The server of a version that every scenario shares, started on first use and stopped when the JVM ends.
   * Scenarios on it use topics of their own ({@link ScenarioServer#topic}), since earlier scenarios' long-poll
   * sessions outlive them by the server's long-poll window.
   *
   * @throws AssertionError if it does not start (and on every later call, at once)
   */
  static synchronized RealPhoenix shared(PhoenixVersion version) {
    AssertionError failed = FAILED_TO_START.get(version);
    if (failed != null) {
      throw failed;
    }
    RealPhoenix server = SHARED.get(version);
    if (server == null) {
      try {
        server = startNew(version);
      } catch (AssertionError e) {
        FAILED_TO_START.put(version, e);
        throw e;
      }
      SHARED.put(version, server);
    }
    return server;
  }

  /** A server of its own for a scenario that stops and starts it; {@link #stop()} it when done. */
  static RealPhoenix startNew(PhoenixVersion version) {
    unavailable().ifPresent(reason -> {
      throw new AssertionError(reason);
    });
    RealPhoenix server = new RealPhoenix(version, freePort());
    server.start();
    return server;
  }

  PhoenixVersion version() {
    return version;
  }

  int port() {
    return port;
  }

  /** The socket endpoint, for the WebSocket and long-poll transports alike. */
  String url() {
    return "ws://127.0.0.1:" + port + "/socket";
  }

  /** The server's log: its output, and a line for every start and stop. */
  Path log() {
    return STATE.resolve(versionName() + "-" + port).resolve("log.txt");
  }

  /** Starts the server (again) on its port, returning once it answers {@code GET /health}. */
  synchronized void start() {
    run("start.sh");
    running = true;
    synchronized (RealPhoenix.class) {
      RUNNING.add(this);
    }
  }

  /**
   * Stops the server (SIGTERM: Phoenix closes its WebSockets with 1012), returning once its port is free.
   */
  synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    synchronized (RealPhoenix.class) {
      RUNNING.remove(this);
    }
    run("stop.sh");
  }

  @Override
  public String toString() {
    return "real Phoenix " + versionName() + " on port " + port;
  }

  /** The servers running now, for a failed test's report. */
  static synchronized List<RealPhoenix> running() {
    return List.copyOf(RUNNING);
  }

  private static void stopAll() {
    for (RealPhoenix server : running()) {
      try {
        server.stop();
      } catch (AssertionError e) {
        System.err.println(e.getMessage());
      }
    }
  }

  private String versionName() {
    return version == PhoenixVersion.PHOENIX_1_8 ? "1.8" : "1.7";
  }

  private void run(String script) {
    Path output = null;
    try {
      Files.createDirectories(STATE);
      output = Files.createTempFile(STATE, script, ".out");
      ProcessBuilder builder = new ProcessBuilder("bash", folder().resolve(script).toString(), versionName(),
          Integer.toString(port))
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      builder.environment().put("PHOENIX_STATE_DIR", STATE.toString());
      Process process = builder.start();
      if (!process.waitFor(SCRIPT_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError(script + " " + this + " did not finish within " + SCRIPT_DEADLINE_SECONDS
            + " s: " + Files.readString(output, StandardCharsets.UTF_8) + "; log: " + log());
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(script + " " + this + " failed (exit " + process.exitValue() + "): "
            + Files.readString(output, StandardCharsets.UTF_8) + "; log: " + log());
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + script + " for " + this + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(script + " " + this + " interrupted", e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // A leftover file under target/ harms nothing.
        }
      }
    }
  }

  private static int freePort() {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("no free port on 127.0.0.1: " + e.getMessage(), e);
    }
  }
}
