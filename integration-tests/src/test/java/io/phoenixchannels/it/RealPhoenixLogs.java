package io.phoenixchannels.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a test fails while real Phoenix servers run, copies each one's log to
 * {@code target/real-phoenix-logs/<test>-<server>.log} and says where, so that a CI failure keeps what the server
 * saw. (The running logs live under {@code target/real-phoenix/} too, but are appended to by every later test.)
 */
final class RealPhoenixLogs implements TestWatcher {
  private static final Path COPIES = Path.of("target", "real-phoenix-logs").toAbsolutePath();

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    for (RealPhoenix server : RealPhoenix.running()) {
      String name = (context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName() + "-"
          + server.version() + "-" + server.port()).replaceAll("[^A-Za-z0-9._-]+", "_");
      Path copy = COPIES.resolve(name + ".log");
      try {
        Files.createDirectories(COPIES);
        Files.copy(server.log(), copy, StandardCopyOption.REPLACE_EXISTING);
        System.err.println(context.getDisplayName() + " failed; the log of " + server + " is in " + copy);
      } catch (IOException e) {
        System.err.println("cannot copy the log of " + server + " (" + server.log() + "): " + e.getMessage());
      }
    }
  }
}
