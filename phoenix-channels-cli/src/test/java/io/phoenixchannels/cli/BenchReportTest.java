package io.phoenixchannels.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** What {@code phx bench} prints, from given figures. */
class BenchReportTest {
  private static final long MS = 1_000_000L;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

  @Test
  void eachProgressLineShowsThatSecondsP99NotTheRunsSoFar() {
    BenchReport report = new BenchReport(print, false, false);
    report.progress(snapshot(latencies(600 * MS, 100)), "ramp-up", 1.0, 100, 10);
    report.progress(snapshot(latencies(MS, 100)), "steady", 2.0, 100, 10);
    report.progress(snapshot(new Histogram(3)), "steady", 3.0, 0, 10);
    List<String> lines = text().lines().toList();
    assertThat(lines.get(0)).contains("ramp-up").containsPattern("p99 600\\.\\d\\d ms$");
    assertThat(lines.get(1)).contains("steady").endsWith("p99 1.00 ms");
    assertThat(lines.get(2)).endsWith("p99 -");
  }

  @Test
  void jsonProgressCarriesThePhaseAndThatSecondsP99() {
    BenchReport report = new BenchReport(print, true, false);
    report.progress(snapshot(latencies(2 * MS, 10)), "warm-up", 1.0, 10, 10);
    JsonNode line = Json.parse(text().strip());
    assertThat(line.get("phase").asText()).isEqualTo("warm-up");
    assertThat(line.get("p99_ms").asDouble()).isCloseTo(2.0, within(0.01));
  }

  @Test
  void theResultShowsTheSteadyStateAndTheRampUpApart() {
    BenchReport report = new BenchReport(print, false, false);
    report.result(snapshot(new Histogram(3)), latencies(MS, 1000), latencies(300 * MS, 50), "the 3.0 s ramp-up", 13.0,
        10, "epoll", Optional.empty());
    assertThat(text())
        .contains("50 replies to pushes due during the 3.0 s ramp-up, not counted below: p50 300.", "max 300.")
        .contains("push→reply latency from the due time (ms), 1000 replies after the 3.0 s ramp-up:")
        .containsPattern("p99 +1\\.000")
        .doesNotContain("first failure");
  }

  @Test
  void theResultNamesTheFirstFailure() {
    BenchReport report = new BenchReport(print, true, false);
    report.result(snapshot(new Histogram(3)), new Histogram(3), new Histogram(3), "", 0.5, 2, "nio",
        Optional.of("connection refused (is the server running?)"));
    JsonNode line = Json.parse(text().strip());
    assertThat(line.get("first_failure").asText()).isEqualTo("connection refused (is the server running?)");
    assertThat(line.get("io").asText()).isEqualTo("nio");
    assertThat(line.get("latency_ms").get("count").asLong()).isZero();
  }

  private static Histogram latencies(long nanos, int count) {
    Histogram histogram = new Histogram(3);
    histogram.recordValueWithCount(nanos, count);
    return histogram;
  }

  private static LoadGenerator.Snapshot snapshot(Histogram interval) {
    return new LoadGenerator.Snapshot(10, 10, 100, 100, 0, 0, 0, interval);
  }

  private String text() {
    return out.toString(StandardCharsets.UTF_8);
  }
}
