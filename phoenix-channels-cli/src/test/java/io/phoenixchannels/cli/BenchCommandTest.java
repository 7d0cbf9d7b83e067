package io.phoenixchannels.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
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
        "--duration", "1500ms", "--ramp-up", "200ms", "--join-params", "{\"presence\":false}",
        "--payload", "{\"body\":\"hi\"}", "--json");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.OK);
    List<JsonNode> lines = result.json();
    assertThat(lines).anyMatch(line -> line.get("type").asText().equals("progress"));
    JsonNode last = lines.get(lines.size() - 1);
    assertThat(last.get("type").asText()).isEqualTo("result");
    assertThat(last.get("joined").asInt()).isEqualTo(5);
    assertThat(last.get("sent").asLong()).isBetween(200L, 360L);
    assertThat(last.get("ok").asLong()).isEqualTo(last.get("sent").asLong());
    assertThat(last.get("error_replies").asLong() + last.get("timeouts").asLong() + last.get("failures").asLong())
        .isZero();
    JsonNode latency = last.get("latency_ms");
    assertThat(latency.get("count").asLong()).isEqualTo(last.get("ok").asLong());
    assertThat(latency.get("p50").asDouble()).isPositive().isLessThanOrEqualTo(latency.get("p99").asDouble());
    assertThat(latency.get("p99_9").asDouble()).isLessThanOrEqualTo(latency.get("max").asDouble());
  }

  @Test
  void printsAProgressLineAndAPercentileTable() throws Exception {
    PhxRunner.Result result = PhxRunner.run("bench", server.url(), "--sockets", "2", "--rate", "50",
        "--duration", "1200ms", "--ramp-up", "0s");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.OK);
    assertThat(result.out()).contains("connected 2", "joined 2/2", "pushes/s", "errors 0", "p99")
        .contains("2 of 2 channels joined").contains("p50", "p90", "p99.9", "p99.99", "max");
  }

  @Test
  void joinsEveryChannelOfEverySocket() throws Exception {
    PhxRunner.Result result = PhxRunner.run("bench", server.url(), "--sockets", "3", "--channels-per-socket", "4",
        "--rate", "0", "--duration", "500ms", "--ramp-up", "100ms", "--json");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.OK);
    JsonNode last = result.json().get(result.json().size() - 1);
    assertThat(last.get("joined").asInt()).isEqualTo(12);
    assertThat(last.get("channels").asInt()).isEqualTo(12);
    assertThat(last.get("sent").asLong()).isZero();
  }

  @Test
  void errorRepliesExitOne() throws Exception {
    PhxRunner.Result result = PhxRunner.run("bench", server.url(), "--sockets", "1", "--rate", "50",
        "--duration", "500ms", "--ramp-up", "0s", "--event", "error_reply", "--json");
    assertThat(result.exitCode()).isEqualTo(ExitCode.ERROR);
    JsonNode last = result.json().get(result.json().size() - 1);
    assertThat(last.get("error_replies").asLong()).isPositive();
    assertThat(last.get("ok").asLong()).isZero();
  }

  @Test
  void aRefusedJoinEverywhereExitsTwo() throws Exception {
    PhxRunner.Result result = PhxRunner.run("bench", server.url(), "--sockets", "2", "--rate", "10",
        "--duration", "300ms", "--ramp-up", "0s", "--topic", "room:private");
    assertThat(result.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(result.err()).contains("no channel joined");
  }

  @Test
  void aBadCountIsAUsageError() throws Exception {
    PhxRunner.run("bench", server.url(), "--sockets", "0")
        .assertOneErrorLine(ExitCode.USAGE, "--sockets must be at least 1, got 0");
  }
}
