package io.phoenixchannels.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code phx serve}: the reference app in the foreground, logging what happens, until interrupted. */
class ServeCommandTest {

  @Test
  void logsConnectsJoinsLeavesAndDisconnectsUntilInterrupted() throws Exception {
    PhxRunner serving = PhxRunner.start("serve", "--port", "0", "--json");
    await().atMost(Duration.ofSeconds(10)).until(() -> serving.out().contains("\"listening\""));
    String url = Json.parse(serving.out().lines().findFirst().orElseThrow()).get("detail").asText().split(" ")[0];
    assertThat(url).matches("ws://127\\.0\\.0\\.1:\\d+/socket");

    assertThat(PhxRunner.run("push", url, "room:lobby", "echo", "--param", "user_id=ada").exitCode())
        .isEqualTo(ExitCode.OK);
    await().atMost(Duration.ofSeconds(10)).until(() -> serving.out().contains("\"disconnect\""));
    assertThat(PhxRunner.run("push", url, "room:lobby", "echo", "--param", "token=bad").exitCode())
        .isEqualTo(ExitCode.UNAVAILABLE);
    await().atMost(Duration.ofSeconds(10)).until(() -> serving.out().contains("\"refused\""));

    serving.interrupt();
    PhxRunner.Result result = serving.await(PhxRunner.DEADLINE);
    assertThat(result.exitCode()).isEqualTo(ExitCode.INTERRUPTED);
    List<String> events = result.json("server").stream().map(line -> line.get("event").asText()).toList();
    assertThat(events).containsExactly("listening", "connect", "join", "leave", "disconnect", "refused");
    JsonNode connect = result.json("server").get(1);
    assertThat(connect.get("connection").asLong()).isEqualTo(1);
    assertThat(connect.get("detail").asText()).startsWith("users_socket:ada over websocket");
    assertThat(result.json("server").get(2).get("detail").asText()).startsWith("room:lobby");
    assertThat(result.json("server").get(3).get("detail").asText()).isEqualTo("room:lobby (left)");
  }

  @Test
  void logsAJoinToATopicNothingRoutesAndAcceptsTheDocumentedTokens() throws Exception {
    PhxRunner serving = PhxRunner.start("serve", "--port", "0", "--json");
    await().atMost(Duration.ofSeconds(10)).until(() -> serving.out().contains("\"listening\""));
    String url = Json.parse(serving.out().lines().findFirst().orElseThrow()).get("detail").asText().split(" ")[0];

    assertThat(PhxRunner.run("push", url, "nope:1", "echo").exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
    // The line is JSON: its quotes are escaped.
    await().atMost(Duration.ofSeconds(10))
        .until(() -> serving.out().contains("ignoring unmatched topic \\\"nope:1\\\""));
    assertThat(PhxRunner.run("push", url, "room:lobby", "whoami", "--token", "secret-token").exitCode())
        .isEqualTo(ExitCode.OK);
    assertThat(PhxRunner.run("push", url, "room:lobby", "whoami", "--token", "tok/with+slash?", "--longpoll")
        .exitCode()).isEqualTo(ExitCode.OK);
    assertThat(PhxRunner.run("push", url, "room:lobby", "whoami", "--token", "other").exitCode())
        .isEqualTo(ExitCode.UNAVAILABLE);

    serving.interrupt();
    PhxRunner.Result result = serving.await(PhxRunner.DEADLINE);
    List<String> connects = result.json("server").stream().filter(line -> line.get("event").asText().equals("connect"))
        .map(line -> line.get("detail").asText()).toList();
    assertThat(connects).hasSize(3);
    assertThat(connects.get(0)).startsWith("users_socket:user-");
    assertThat(connects.get(1)).startsWith("users_socket:tokuser over websocket");
    assertThat(connects.get(2)).startsWith("users_socket:tokuser over longpoll");
    assertThat(result.json("server")).extracting(line -> line.get("event").asText()).contains("refused");
  }

  @Test
  void logsARefusedJoinWithItsTopicAndReason() throws Exception {
    PhxRunner serving = PhxRunner.start("serve", "--port", "0", "--json");
    await().atMost(Duration.ofSeconds(10)).until(() -> serving.out().contains("\"listening\""));
    String url = Json.parse(serving.out().lines().findFirst().orElseThrow()).get("detail").asText().split(" ")[0];

    assertThat(PhxRunner.run("push", url, "room:private:1", "echo").exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
    await().atMost(Duration.ofSeconds(10)).until(() -> serving.out().contains("\"join-refused\""));

    serving.interrupt();
    PhxRunner.Result result = serving.await(PhxRunner.DEADLINE);
    List<JsonNode> refusals = result.json("server").stream()
        .filter(line -> line.get("event").asText().equals("join-refused")).toList();
    assertThat(refusals).hasSizeGreaterThanOrEqualTo(1);
    assertThat(refusals.get(0).get("connection").asLong()).isEqualTo(1);
    assertThat(refusals.get(0).get("detail").asText()).isEqualTo("room:private:1 {}: {\"reason\":\"unauthorized\"}");
  }

  @Test
  void itsHelpSaysWhatTheReferenceAppAccepts() throws Exception {
    assertThat(PhxRunner.run("serve", "--help").out()).contains("user_id", "token=bad", "secret-token",
        "tok/with+slash?", "tokuser", "room:private", "broadcasted", "unknown event");
  }

  @Test
  void aPortInUseExitsTwo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      PhxRunner.run("serve", "--port", String.valueOf(taken.getLocalPort()))
          .assertOneErrorLine(ExitCode.UNAVAILABLE, "cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }
}
