package io.phoenixchannels.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code phx demo}: runs to completion, narrating every step, with the embedded server or a given one. */
class DemoCommandTest {
  /** The README promises a quick demo: far less than this even on a loaded machine. */
  private static final Duration QUICK = Duration.ofSeconds(20);

  @Test
  void narratesEveryStepAndExitsZero() throws Exception {
    PhxRunner.Result result = PhxRunner.start("demo").await(QUICK);
    assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(ExitCode.OK);
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).contains(
        "Step 1/8 · Start the reference Phoenix app, embedded",
        "ada connected", "grace connected", "linus connected",
        "ada joined room:lobby",
        "sees 3 online: ada, grace, linus",
        "received \"Hello, everyone!\" from ada",
        "grace pushed \"echo\"; the reply came back ok {\"body\":\"ping\"}",
        "linus's push ended with status \"timeout\"",
        "ada's channel crashed on the server (channel_crash); it rejoins by itself",
        "ada rejoined room:lobby",
        "Step 8/8 · The server goes away; every client reconnects and rejoins on its own",
        "lost its connection (close 1001)",
        "reconnected by itself",
        "Summary",
        "Every step completed");
    assertThat(result.out().lines().filter(line -> line.contains("reconnected by itself"))).hasSize(3);
  }

  @Test
  void jsonNarrationHasEveryStepAndTheSummary() throws Exception {
    PhxRunner.Result result = PhxRunner.start("demo", "--json").await(QUICK);
    assertThat(result.exitCode()).as(result.out()).isEqualTo(ExitCode.OK);
    List<JsonNode> steps = result.json("step");
    assertThat(steps).extracting(step -> step.get("number").asInt()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    JsonNode figures = result.json("summary").get(0).get("figures");
    assertThat(figures.get("clients").asInt()).isEqualTo(3);
    assertThat(figures.get("reconnects").asInt()).isEqualTo(3);
    assertThat(figures.get("channel crashes survived").asInt()).isEqualTo(1);
    assertThat(figures.get("broadcasts received").asInt()).isEqualTo(3);
    assertThat(figures.get("pushes timed out").asInt()).isEqualTo(2);
  }

  @Test
  void runsAgainstAGivenServerWhereTheClientsAreDisconnectedInsteadOfARestart() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_7)) {
      PhxRunner.Result result = PhxRunner.start("demo", "--url", server.url()).await(QUICK);
      assertThat(result.exitCode()).as(result.out()).isEqualTo(ExitCode.OK);
      assertThat(result.out()).contains("Step 1/8 · Use the server at " + server.url(),
          "each client pushes \"disconnect_me\"", "lost its connection (close 1000)", "Every step completed");
    }
  }

  @Test
  void aServerThatIsNotThereFailsTheFirstStepInsteadOfHanging() throws Exception {
    PhxRunner.Result result = PhxRunner.start("demo", "--url", "ws://127.0.0.1:1/socket", "--step-timeout", "1s")
        .await(QUICK);
    assertThat(result.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(result.out()).contains("the demo stopped: every client connected did not happen within 1000 ms");
  }
}
