package io.phoenixchannels.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.benchmarks.clients.BenchClient;
import io.phoenixchannels.benchmarks.clients.Clients;
import io.phoenixchannels.benchmarks.workloads.Workload;
import io.phoenixchannels.benchmarks.workloads.WorkloadOptions;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.ReferenceApp;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each JVM client of the comparison puts a little traffic through the workloads against the reference app: the
 * adapters and workloads work, in a few seconds. It measures nothing; the numbers come from run-comparison.sh.
 */
class WorkloadsSmokeTest {
  private static final String[] TINY = {"warmup_ms=100", "measure_ms=200", "latency_measure_ms=200", "rate=200",
      "tick_batch=50", "sockets=20", "deadline_ms=10000"};
  private static PhoenixTestServer server;

  @BeforeAll
  static void startServer() {
    server = ReferenceApp.configure(PhoenixTestServer.builder().recordFrames(false)).start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ours", "ours-netty", "javaphoenixclient", "raw"})
  void everyClientGetsEchoRepliesAndTicks(String name) throws Exception {
    try (BenchClient client = Clients.create(name)) {
      Map<String, Object> echo = Workload.named("w1").run(client, server.url(), new WorkloadOptions(
          new String[] {"warmup_ms=100", "measure_ms=200", "in_flight=10"}));
      Map<String, Object> ticks = Workload.named("w3").run(client, server.url(), new WorkloadOptions(TINY));
      assertThat((long) echo.get("replies")).isPositive();
      assertThat((long) ticks.get("messages")).isPositive();
      assertThat(client.errors()).as(client.firstError()).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ours", "ours-netty"})
  void everyListOfACrowdHoldsEveryUser(String name) throws Exception {
    try (BenchClient client = Clients.create(name)) {
      Map<String, Object> crowd = Workload.named("crowd20").run(client, server.url(),
          new WorkloadOptions(new String[] {"deadline_ms=20000", "warmup_users=5"}));
      assertThat(crowd.get("lists_converged")).isEqualTo(20);
      assertThat(crowd.get("lists_full_at_end")).isEqualTo(20);
      assertThat(client.errors()).as(client.firstError()).isZero();
    }
  }

  @Test
  void latencyAndScaleWorkloadsReportTheirFigures() throws Exception {
    try (BenchClient client = Clients.create("ours-netty")) {
      Map<String, Object> latency = Workload.named("w2").run(client, server.url(), new WorkloadOptions(TINY));
      Map<String, Object> scale = Workload.named("w4").run(client, server.url(), new WorkloadOptions(TINY));
      assertThat((long) latency.get("replies")).isEqualTo((long) latency.get("pushes")).isPositive();
      assertThat(scale.get("joined")).isEqualTo(20);
      assertThat(scale.get("broadcast_received")).isEqualTo(20);
    }
  }
}
