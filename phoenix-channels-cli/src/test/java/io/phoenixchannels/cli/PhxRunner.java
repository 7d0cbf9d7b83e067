package io.phoenixchannels.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@code phx} in this JVM through its picocli entry point, {@link Phx#run}, on captured streams (not a
 * terminal), on its own thread, so that a test can watch its output while it runs, interrupt it as Ctrl-C would,
 * and never wait for it without a deadline.
 */
final class PhxRunner {
  static final Duration DEADLINE = Duration.ofSeconds(30);

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final FutureTask<Integer> task;
  private final Thread thread;

  private PhxRunner(String stdin, String... args) {
    Streams streams = new Streams(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        false);
    this.task = new FutureTask<>(() -> Phx.run(streams, args));
    this.thread = new Thread(task, "phx-under-test");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts phx with empty standard input. */
  static PhxRunner start(String... args) {
    return new PhxRunner("", args);
  }

  /** Starts phx with these lines on standard input. */
  static PhxRunner withInput(String stdin, String... args) {
    return new PhxRunner(stdin, args);
  }

  /** Runs phx to its end. */
  static Result run(String... args) throws Exception {
    return start(args).await(DEADLINE);
  }

  /** What phx printed on standard output so far. */
  String out() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** Interrupts phx, as Ctrl-C does for a command waiting for events. */
  void interrupt() {
    thread.interrupt();
  }

  /** Waits for phx to end. */
  Result await(Duration deadline) throws Exception {
    try {
      int code = task.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
      return new Result(code, out(), err.toString(StandardCharsets.UTF_8));
    } catch (TimeoutException e) {
      thread.interrupt();
      throw new AssertionError("phx did not end within " + deadline.toMillis() + " ms; output so far:\n" + out()
          + "\nerrors:\n" + err.toString(StandardCharsets.UTF_8), e);
    } catch (ExecutionException e) {
      throw new AssertionError("phx threw instead of returning an exit code", e.getCause());
    }
  }

  /**
   * The end of a run.
   *
   * @param exitCode the exit code
   * @param out standard output
   * @param err standard error
   */
  record Result(int exitCode, String out, String err) {
    /** Each line of standard output as JSON (for --json runs). */
    List<JsonNode> json() {
      return out.lines().map(Json::parse).toList();
    }

    /** The JSON lines of one type. */
    List<JsonNode> json(String type) {
      return json().stream().filter(line -> type.equals(line.path("type").asText())).toList();
    }

    /** Asserts a usage-style failure: exactly one line on standard error, no stack trace. */
    void assertOneErrorLine(int expectedExitCode, String containing) {
      assertThat(exitCode).as("exit code; stderr: " + err).isEqualTo(expectedExitCode);
      assertThat(err.lines().toList()).as("stderr").hasSize(1);
      assertThat(err).startsWith("phx: ").contains(containing).doesNotContain("\tat ").doesNotContain("Exception");
    }
  }
}
