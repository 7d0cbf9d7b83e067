package io.phoenixchannels.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import io.phoenixchannels.testserver.ClientConnection;
import io.phoenixchannels.testserver.ServerListener;
import io.phoenixchannels.testserver.TransportKind;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code phx push}: its exit code is the outcome, against the reference app. */
class PushCommandTest {
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
  void anOkReplyExitsZeroAndPrintsTheReply() throws Exception {
    PhxRunner.Result result = PhxRunner.run("push", server.url(), "room:lobby", "echo", "{\"body\": \"hi\"}",
        "--json");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.OK);
    assertThat(result.json()).hasSize(1);
    JsonNode reply = result.json().get(0);
    assertThat(reply.get("type").asText()).isEqualTo("reply");
    assertThat(reply.get("topic").asText()).isEqualTo("room:lobby");
    assertThat(reply.get("event").asText()).isEqualTo("echo");
    assertThat(reply.get("status").asText()).isEqualTo("ok");
    assertThat(reply.get("response").get("body").asText()).isEqualTo("hi");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void readableOutputShowsTheStatusAndResponse() throws Exception {
    PhxRunner.Result result = PhxRunner.run("push", server.url(), "room:lobby", "echo", "{\"body\":\"hi\"}");
    assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(result.out().strip()).isEqualTo("reply    room:lobby echo ok {\"body\":\"hi\"}");
  }

  @Test
  void anErrorReplyExitsOne() throws Exception {
    PhxRunner.Result result = PhxRunner.run("push", server.url(), "room:lobby", "error_reply", "--json");
    assertThat(result.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(result.json().get(0).get("status").asText()).isEqualTo("error");
    assertThat(result.json().get(0).get("response").get("reason").asText()).isEqualTo("bad");
  }

  @Test
  void aPushWithoutAReplyTimesOutWithExitTwo() throws Exception {
    PhxRunner.Result result = PhxRunner.run("push", server.url(), "room:lobby", "noreply", "--timeout", "300ms",
        "--json");
    assertThat(result.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(result.json().get(0).get("status").asText()).isEqualTo("timeout");
    result.assertOneErrorLine(ExitCode.UNAVAILABLE, "no reply to noreply on room:lobby within 300 ms");
  }

  @Test
  void aRefusedJoinExitsTwo() throws Exception {
    PhxRunner.run("push", server.url(), "room:private", "echo")
        .assertOneErrorLine(ExitCode.UNAVAILABLE, "the server refused to join room:private: {\"reason\":\"unauthorized\"}");
  }

  @Test
  void aRefusedConnectionExitsTwo() throws Exception {
    PhxRunner.run("push", server.url(), "room:lobby", "echo", "--param", "token=bad")
        .assertOneErrorLine(ExitCode.UNAVAILABLE, "HTTP 403");
  }

  @Test
  void anUnreachableServerExitsTwoAtOnce() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    // A ten-minute connect deadline: ending within the runner's deadline means the refusal ended the wait at once.
    PhxRunner.run("push", "ws://127.0.0.1:" + closedPort + "/socket", "room:lobby", "echo", "--connect-timeout", "10m")
        .assertOneErrorLine(ExitCode.UNAVAILABLE, "connection refused");
  }

  @Test
  void aTokenTheWebSocketCannotCarryPointsToLongPoll() throws Exception {
    // "tok/with+slash?" is "dG9rL3dpdGgrc2xhc2g/" in Base64: a '/' no WebSocket subprotocol may hold.
    PhxRunner.run("push", server.url(), "room:lobby", "whoami", "--token", "tok/with+slash?")
        .assertOneErrorLine(ExitCode.USAGE, "add --longpoll");
    PhxRunner.Result polled = PhxRunner.run("push", server.url(), "room:lobby", "whoami", "--token",
        "tok/with+slash?", "--longpoll", "--json");
    assertThat(polled.exitCode()).as(polled.err()).isEqualTo(ExitCode.OK);
    assertThat(polled.json("reply").get(0).get("response").get("user_id").asText()).isEqualTo("tokuser");
  }

  @Test
  void longPollCarriesThePushWhenAsked() throws Exception {
    List<TransportKind> transports = new CopyOnWriteArrayList<>();
    try (PhoenixTestServer polling = ReferenceApp.configure(PhoenixTestServer.builder().listener(new ServerListener() {
      @Override
      public void connected(ClientConnection connection) {
        transports.add(connection.transport());
      }
    })).start()) {
      PhxRunner.Result result = PhxRunner.run("push", polling.url(), "room:lobby", "echo", "{\"over\":\"http\"}",
          "--longpoll", "--json");
      assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.OK);
      assertThat(result.json().get(0).get("response").get("over").asText()).isEqualTo("http");
      assertThat(transports).containsExactly(TransportKind.LONGPOLL);
      PhxRunner.run("push", polling.url(), "room:lobby", "echo", "--longpoll", "--param", "token=bad")
          .assertOneErrorLine(ExitCode.UNAVAILABLE, "cannot connect");
    }
  }

  @Test
  void joinParamsConnectParamsAndTheV1SerializerAreUsed() throws Exception {
    PhxRunner.Result result = PhxRunner.run("push", server.url(), "room:lobby", "whoami", "--param", "user_id=ivy",
        "--join-params", "{\"name\":\"Ivy\"}", "--vsn", "1", "--json");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.OK);
    assertThat(result.json().get(0).get("response").get("user_id").asText()).isEqualTo("ivy");
  }
}
