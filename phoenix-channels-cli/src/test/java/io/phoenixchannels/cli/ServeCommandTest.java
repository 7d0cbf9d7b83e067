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
  void aPortInUseExitsTwo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      PhxRunner.run("serve", "--port", String.valueOf(taken.getLocalPort()))
          .assertOneErrorLine(ExitCode.UNAVAILABLE, "cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }
}
