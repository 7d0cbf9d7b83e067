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
   * @throws AssertionError if the script does not finish in time, or Node or the packages are missing and
   *     {@code phoenixjs.required} is set (otherwise the test is skipped)
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
   * Checks that the cross-check can run: Node on the PATH and the locked npm packages installed by {@code npm ci}
   * in {@code phoenixjs/} ({@code .ci/run} does it; a contributor runs it once). Node is not among the project's
   * prerequisites (Java and Maven are), so by default a missing one — Node itself, or the packages for want of npm
   * — skips the cross-check with this one message, the same for both; with {@code -Dphoenixjs.required=true}, as
   * in {@code .ci/run}, it fails instead, so CI cannot lose the cross-check unnoticed.
   */
  private static synchronized void ensurePackages() throws IOException, InterruptedException {
    if (missing == null) {
      missing = whatIsMissing();
    }
    if (!missing.isEmpty()) {
      String message = "the phoenix.js cross-check needs Node.js 20+ on the PATH and its locked packages (run `npm ci "
          + "--prefix integration-tests/phoenixjs` once): " + missing;
      if (Boolean.getBoolean("phoenixjs.required")) {
        throw new AssertionError(message + " (and -Dphoenixjs.required=true)");
      }
      Assumptions.abort(message);
    }
  }

  /** What the cross-check lacks, or an empty string. */
  private static String whatIsMissing() throws IOException, InterruptedException {
    Path modules = DIRECTORY.resolve("node_modules");
    for (String module : List.of("phoenix17", "phoenix18", "ws")) {
      if (!Files.isDirectory(modules.resolve(module))) {
        return "no " + modules.resolve(module);
      }
    }
    Process node;
    try {
      node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
    } catch (IOException noNode) {
      return "`node` cannot be started: " + noNode.getMessage();
    }
    if (!node.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
      node.destroyForcibly();
      return "`node --version` did not finish within " + DEADLINE.toSeconds() + " s";
    }
    String version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return node.exitValue() == 0 ? "" : "`node --version` failed: " + version;
  }

  /** What {@link #ensurePackages()} found missing, once per run. */
  private static String missing;
}
