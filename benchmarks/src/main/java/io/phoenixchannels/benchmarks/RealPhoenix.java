package io.phoenixchannels.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Phoenix server (1.7.24 or 1.8.12, the reference app) from the shared releases: started with their
 * {@code start.sh VERSION PORT}, which returns once the server answers, and stopped with {@code stop.sh}.
 *
 * @param dir the folder with {@code start.sh} and {@code stop.sh}
 * @param version {@code 1.7} or {@code 1.8}
 * @param port the port on 127.0.0.1
 */
record RealPhoenix(Path dir, String version, int port) {

  /** Starts the server and waits until it answers. */
  static RealPhoenix start(Path dir, String version, int port) throws IOException, InterruptedException {
    RealPhoenix server = new RealPhoenix(dir, version, port);
    int exit = server.script("start.sh");
    if (exit != 0) {
      throw new IOException("real Phoenix " + version + " did not start on port " + port + " (start.sh exit "
          + exit + "; see its log under ${PHOENIX_STATE_DIR:-/tmp/phoenix-peers})");
    }
    return server;
  }

  /** The socket endpoint. */
  String url() {
    return "ws://127.0.0.1:" + port + "/socket";
  }

  /** Stops the server; waits until its port is free. */
  void stop() throws IOException, InterruptedException {
    script("stop.sh");
  }

  private int script(String name) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", dir.resolve(name).toString(), version, Integer.toString(port))
        .inheritIO().start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
