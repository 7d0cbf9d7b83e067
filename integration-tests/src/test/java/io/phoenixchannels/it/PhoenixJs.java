package io.phoenixchannels.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a scenario of the official phoenix.js client ({@code phoenixjs/scenarios.js}, Node with the npm packages
 * locked in {@code phoenixjs/package-lock.json}) as a subprocess with a deadline, and returns what phoenix.js
 * reported.
 */
final class PhoenixJs {
  static final Path DIRECTORY = Path.of("phoenixjs").toAbsolutePath();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Duration NPM_DEADLINE = Duration.ofMinutes(5);

  private PhoenixJs() {}

  /** What phoenix.js reported for one scenario. */
  record Report(String scenario, String phoenixVersion, String outcome, List<JsonNode> events, String output) {
    /** The events of one type, in order. */
    List<JsonNode> events(String type) {
      List<JsonNode> matching = new ArrayList<>();
      for (JsonNode event : events) {
        if (event.path("type").asText().equals(type)) {
          matching.add(event);
        }
      }
      return matching;
    }

    /** The one event of a type. */
    JsonNode event(String type) {
      List<JsonNode> matching = events(type);
      if (matching.isEmpty()) {
        throw new AssertionError("phoenix.js reported no '" + type + "' in " + scenario + ": " + output);
      }
      return matching.get(0);
    }
  }

  /**
   * Runs one scenario.
   *
   * @param npmPackage {@code phoenix17} or {@code phoenix18}
   * @param socketUrl the socket endpoint, such as {@code ws://127.0.0.1:4000/socket}
   * @param scenario a scenario of {@code scenarios.js}
   * @throws AssertionError if Node is missing, the packages cannot be installed, or the script does not finish in
   *     time
   */
  static Report run(String npmPackage, String socketUrl, String scenario) throws IOException, InterruptedException {
    ensurePackages();
    Path output = Files.createTempFile("phoenixjs-" + scenario, ".out");
    Process process;
    try {
      process = new ProcessBuilder("node", "scenarios.js", npmPackage, socketUrl, scenario)
          .directory(DIRECTORY.toFile())
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
    } catch (IOException e) {
      throw new AssertionError("cannot run `node` (Node.js 20 or later must be on the PATH for the phoenix.js "
          + "cross-check): " + e.getMessage(), e);
    }
    try {
      if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError("phoenix.js scenario " + scenario + " did not finish within " + DEADLINE.toSeconds()
            + " s; output: " + Files.readString(output, StandardCharsets.UTF_8));
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      String last = text.lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b).orElseThrow(
          () -> new AssertionError("phoenix.js scenario " + scenario + " printed no report (exit "
              + process.exitValue() + "): " + text));
      JsonNode report = MAPPER.readTree(last);
      List<JsonNode> events = new ArrayList<>();
      report.path("events").forEach(events::add);
      return new Report(scenario, report.path("phoenix").asText(), report.path("outcome").asText(), events, text);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /**
   * Installs the locked npm packages ({@code npm ci}) unless they are there already, so that {@code mvn verify} runs
   * the cross-check on a fresh clone. Without npm on the PATH the cross-check cannot run at all: its tests are then
   * skipped, saying so, rather than failed for a tool the project does not install.
   */
  private static synchronized void ensurePackages() throws IOException, InterruptedException {
    Path modules = DIRECTORY.resolve("node_modules");
    if (Files.isDirectory(modules.resolve("phoenix17")) && Files.isDirectory(modules.resolve("phoenix18"))
        && Files.isDirectory(modules.resolve("ws"))) {
      return;
    }
    Path output = Files.createTempFile("phoenixjs-npm-ci", ".out");
    try {
      Process npm;
      try {
        npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
            .directory(DIRECTORY.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
      } catch (IOException noNpm) {
        Assumptions.abort("the phoenix.js cross-check needs Node.js 20+ and npm on the PATH to install its locked "
            + "packages (npm ci in integration-tests/phoenixjs), and npm could not be started: " + noNpm.getMessage());
        return;
      }
      if (!npm.waitFor(NPM_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        npm.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError("npm ci in " + DIRECTORY + " did not finish within " + NPM_DEADLINE.toSeconds()
            + " s: " + Files.readString(output, StandardCharsets.UTF_8));
      }
      if (npm.exitValue() != 0) {
        throw new AssertionError("npm ci in " + DIRECTORY + " failed (exit " + npm.exitValue() + "): "
            + Files.readString(output, StandardCharsets.UTF_8));
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
