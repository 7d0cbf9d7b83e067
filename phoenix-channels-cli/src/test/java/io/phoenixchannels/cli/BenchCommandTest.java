package io.phoenixchannels.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code phx bench} through the CLI entry point against the reference app: short runs, a few sockets. */
class BenchCommandTest {
  private static PhoenixTestServer server;

  @BeforeAll
  static void start() {
    server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void pushesAtTheRateAndReportsProgressAndPercentilesAsJson() throws Exception {
    PhxRunner.Result result = PhxRunner.run("bench", server.url(), "--sockets", "5", "--rate", "200",
        "--duration", "3s", "--ramp-up", "200ms", "--join-params", "{\"presence\":false}",
        "--payload", "{\"body\":\"hi\"}", "--json");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.OK);
    List<JsonNode> lines = result.json();
    assertThat(lines).anyMatch(line -> line.get("type").asText().equals("progress"));
    assertThat(result.json("progress")).allSatisfy(line -> assertThat(line.get("phase").asText())
        .isIn("ramp-up", "steady"));
    JsonNode last = lines.get(lines.size() - 1);
    assertThat(last.get("type").asText()).isEqualTo("result");
    assertThat(last.get("io").asText()).isIn("epoll", "nio");
    assertThat(last.get("joined").asInt()).isEqualTo(5);
    // Pushes fall due at fixed times: at most 200/s × (0.2 s + 3 s). How many of the first slots pass unsent,
    // before the first join, depends on how busy the machine is, so the only lower bound is one push: the one
    // timing assumption, that a socket joins within the 3.2 s of the run (0.7 s on two cores with a load of 14).
    assertThat(last.get("sent").asLong()).isBetween(1L, 640L);
    assertThat(last.get("ok").asLong()).isEqualTo(last.get("sent").asLong());
    assertThat(last.get("error_replies").asLong() + last.get("timeouts").asLong() + last.get("failures").asLong())
        .isZero();
    JsonNode latency = last.get("latency_ms");
    JsonNode warmUp = last.get("warmup_latency_ms");
    assertThat(latency.get("count").asLong() + warmUp.get("count").asLong()).isEqualTo(last.get("ok").asLong());
    assertThat(latency.get("count").asLong()).as("pushes due after the ramp-up").isBetween(1L, 600L);
    assertThat(warmUp.get("count").asLong()).as("pushes due during the ramp-up").isLessThanOrEqualTo(40L);
    assertThat(latency.get("p50").asDouble()).isLessThanOrEqualTo(latency.get("p99").asDouble());
    assertThat(latency.get("p99_9").asDouble()).isLessThanOrEqualTo(latency.get("max").asDouble());
  }

  @Test
  void printsWhatRunsAProgressLineAndTheSteadyStatesPercentiles() throws Exception {
    // The one timing assumption: the sockets join within the 2.7 s of the run (they took 0.7 s on two cores with a
    // load average of 14). Which pushes fall in the ramp-up and the warm-up is tested on a manual clock in
    // LoadGeneratorTest.
    PhxRunner.Result result = PhxRunner.run("bench", server.url(), "--sockets", "2", "--rate", "50",
        "--duration", "2s", "--ramp-up", "200ms", "--warmup", "500ms", "--join-params", "{\"presence\":false}");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.OK);
    assertThat(result.out().lines().findFirst().orElseThrow())
        .contains("2 sockets", "50 pushes/s", "for 2.0 s after a 0.2 s ramp-up and a 0.5 s warm-up")
        .containsPattern("2 Netty threads, (native epoll|NIO \\(no native epoll on .+\\))");
    assertThat(result.out()).contains("steady", "connected 2", "joined 2/2", "pushes/s", "errors 0", "p99")
        .contains("2 of 2 channels joined")
        .contains("replies after the 0.2 s ramp-up and 0.5 s warm-up:", "p50", "p90", "p99.9", "p99.99", "max");
  }

  @Test
  void joinsEveryChannelOfEverySocket() throws Exception {
    // Timing assumption: twelve joins within the 4.1 s of the run (widened from 2 s: they took 0.7 s on two cores
    // with a load average of 14, and a run with rate 0 costs nothing but its wall time).
    PhxRunner.Result result = PhxRunner.run("bench", server.url(), "--sockets", "3", "--channels-per-socket", "4",
        "--rate", "0", "--duration", "4s", "--ramp-up", "100ms", "--json");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.OK);
    JsonNode last = result.json().get(result.json().size() - 1);
    assertThat(last.get("joined").asInt()).isEqualTo(12);
    assertThat(last.get("channels").asInt()).isEqualTo(12);
    assertThat(last.get("sent").asLong()).isZero();
  }

  @Test
  void errorRepliesExitOne() throws Exception {
    // Timing assumption: the socket joins within the 4 s of the run, so that some pushes go out (widened from 2 s
    // for a loaded machine, as above).
    PhxRunner.Result result = PhxRunner.run("bench", server.url(), "--sockets", "1", "--rate", "50",
        "--duration", "4s", "--ramp-up", "0s", "--event", "error_reply", "--json");
    assertThat(result.exitCode()).isEqualTo(ExitCode.ERROR);
    JsonNode last = result.json().get(result.json().size() - 1);
    assertThat(last.get("error_replies").asLong()).isPositive();
    assertThat(last.get("ok").asLong()).isZero();
  }

  @Test
  void aRefusedJoinEverywhereStopsAtOnceAndSaysWhy() throws Exception {
    // Ten minutes to run: ending within the runner's deadline means it stopped once nothing could join.
    PhxRunner.Result result = PhxRunner.run("bench", server.url(), "--sockets", "2", "--rate", "10",
        "--duration", "10m", "--ramp-up", "0s", "--topic", "room:private");
    assertThat(result.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(result.err()).contains("no channel joined on " + server.url()
        + ": the server refused to join room:private: {\"reason\":\"unauthorized\"}");
    assertThat(result.out()).contains("first failure: the server refused to join room:private");
  }

  @Test
  void aDeadPortStopsAtOnceAndSaysWhy() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    String url = "ws://127.0.0.1:" + closedPort + "/socket";
    PhxRunner.Result result = PhxRunner.run("bench", url, "--sockets", "3", "--duration", "10m", "--ramp-up", "10m",
        "--json");
    assertThat(result.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
    result.assertOneErrorLine(ExitCode.UNAVAILABLE, "no channel joined on " + url
        + ": connection refused (is the server running?)");
    JsonNode last = result.json("result").get(0);
    assertThat(last.get("first_failure").asText()).isEqualTo("connection refused (is the server running?)");
    assertThat(last.get("connected").asInt()).isZero();
  }

  @Test
  void aTokenWithASlashNeedsNoLongPollOnNetty() throws Exception {
    // Netty sends any token; only the JDK WebSocket cannot, and bench does not use it. Timing assumption: the
    // socket joins within the 2 s of the run (a 200 ms run failed once on the loaded machine: the run ended first).
    PhxRunner.Result result = PhxRunner.run("bench", server.url(), "--sockets", "1", "--rate", "10",
        "--duration", "2s", "--ramp-up", "0s", "--token", "tok/with+slash?", "--event", "whoami", "--json");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.OK);
  }

  @Test
  void aBadCountIsAUsageError() throws Exception {
    PhxRunner.run("bench", server.url(), "--sockets", "0")
        .assertOneErrorLine(ExitCode.USAGE, "--sockets must be at least 1, got 0");
  }
}
