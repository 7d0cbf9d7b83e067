package io.phoenixchannels.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Fault injection, the frame recording, restarts and the idle timeout. */
class FaultsAndRecordingTest {
  private static final Map<String, Object> NO_PRESENCE = Map.of("presence", false);
  private static final Duration WAIT = WireClient.WAIT;

  @Nested
  class Faults {
    @Test
    void dropsMatchingRepliesUntilReset() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.join("1", "room:f", NO_PRESENCE);
        server.faults().dropReplies(message -> message.event().equals("echo"));
        client.send("1", "2", "room:f", "echo", Map.of());
        client.send("1", "3", "room:f", "error_reply", Map.of());
        client.expect("['1','3','room:f','phx_reply',{'response':{'reason':'bad'},'status':'error'}]");
        server.faults().reset();
        client.send("1", "4", "room:f", "echo", Map.of());
        client.expect("['1','4','room:f','phx_reply',{'response':{},'status':'ok'}]");
      }
    }

    @Test
    void losesMatchingClientMessages() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.join("1", "room:f", NO_PRESENCE);
        server.faults().dropInbound(message -> message.event().equals("phx_leave"));
        client.send("1", "2", "room:f", "phx_leave", Map.of());
        client.send("1", "3", "room:f", "echo", Map.of("still", "joined"));
        client.expect("['1','3','room:f','phx_reply',{'response':{'still':'joined'},'status':'ok'}]");
        assertThat(server.takeConnection(WAIT).takeInbound("phx_leave", WAIT).message().ref()).isEqualTo("2");
      }
    }

    @Test
    void delaysRepliesSoThatOtherFramesOvertakeThem() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.join("1", "room:f", NO_PRESENCE);
        server.faults().delayReplies(Duration.ofMillis(200), message -> message.event().equals("echo"));
        client.send("1", "2", "room:f", "echo", Map.of("first", true));
        client.send("1", "3", "room:f", "broadcast", Map.of());
        client.expect("[null,null,'room:f','broadcasted',{}]");
        client.expect("['1','3','room:f','phx_reply',{'response':{},'status':'ok'}]");
        client.expect("['1','2','room:f','phx_reply',{'response':{'first':true},'status':'ok'}]");
      }
    }

    @Test
    void stopsAnsweringHeartbeats() throws Exception {
      try (PhoenixTestServer server = PhoenixTestServer.builder().start();
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        server.faults().ignoreHeartbeats(true);
        client.send(null, "1", "phoenix", "heartbeat", Map.of());
        // Messages are handled in order: once this is answered, the heartbeat was handled (and ignored).
        client.send(null, "2", "nowhere", "ping", Map.of());
        client.expect("[null,'2','nowhere','phx_reply',{'response':{'reason':'unmatched topic'},'status':'error'}]");
        server.faults().ignoreHeartbeats(false);
        client.send(null, "3", "phoenix", "heartbeat", Map.of());
        client.expect("[null,'3','phoenix','phx_reply',{'response':{},'status':'ok'}]");
      }
    }

    @Test
    void closesAConnectionWithAnyCodeAServerMaySend() throws Exception {
      try (PhoenixTestServer server = PhoenixTestServer.builder().start();
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        ClientConnection connection = server.takeConnection(WAIT);
        assertThatThrownBy(() -> connection.close(1006, "")).isInstanceOf(IllegalArgumentException.class);
        connection.close(4001, "go away");
        assertThat(client.awaitClose()).isEqualTo(4001);
        assertThat(connection.awaitClose(WAIT)).isEqualTo(new ConnectionClose(4001, "go away", true));
        assertThat(connection.isOpen()).isFalse();
      }
    }

    @Test
    void cutsConnectionsWithoutACloseFrame() throws Exception {
      try (PhoenixTestServer server = PhoenixTestServer.builder().start();
          WireClient one = WireClient.connect(server, "vsn=2.0.0")) {
        // Taken before the second client connects: the server registers a connection just after its 101, so two
        // clients connecting back to back may be registered in either order.
        ClientConnection first = server.takeConnection(WAIT);
        try (WireClient two = WireClient.connect(server, "vsn=2.0.0")) {
          server.takeConnection(WAIT); // registered: the second is open on the server too
          first.cut();
          assertThat(one.raw().take(WAIT).opcode()).isEqualTo(RawWebSocket.Frame.EOF);
          server.faults().cutAllConnections();
          assertThat(two.raw().take(WAIT).opcode()).isEqualTo(RawWebSocket.Frame.EOF);
        }
      }
    }

    @Test
    void refusesNewConnectionsWithAStatusUntilToldToAccept() throws Exception {
      try (PhoenixTestServer server = PhoenixTestServer.builder().start()) {
        server.faults().refuseConnections(503);
        assertThat(RawWebSocket.connect(server.port(), "/socket/websocket?vsn=2.0.0", Map.of()).status())
            .isEqualTo(503);
        HttpResponse<String> longPoll = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(server.httpUrl() + "/longpoll?vsn=2.0.0")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(longPoll.statusCode()).isEqualTo(200);
        assertThat(longPoll.body()).isEqualTo("{\"status\":503}");
        server.faults().acceptConnections();
        assertThat(RawWebSocket.connect(server.port(), "/socket/websocket?vsn=2.0.0", Map.of()).status())
            .isEqualTo(101);
      }
    }

    @Test
    void stopsAndRestartsOnTheSamePort() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
        int port = server.port();
        WireClient client = WireClient.connect(server, "user_id=x&vsn=2.0.0");
        client.join("1", "room:restart", Map.of());
        server.stop();
        assertThat(client.awaitClose()).isEqualTo(1001);
        assertThat(server.isRunning()).isFalse();
        assertThat(server.presenceList("room:restart").isEmpty()).isTrue();
        assertThatThrownBy(() -> RawWebSocket.connect(port, "/socket/websocket", Map.of()))
            .isInstanceOf(ConnectException.class);

        server.start();
        assertThat(server.port()).isEqualTo(port);
        try (WireClient again = WireClient.connect(server, "vsn=2.0.0")) {
          again.expectNothingMore();
        }
        client.close();
      }
    }
  }

  @Nested
  class Recording {
    @Test
    void recordsEveryFrameInOrderWithACursorPerDirection() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        ClientConnection connection = server.takeConnection(WAIT);
        client.join("1", "room:rec", NO_PRESENCE);
        client.send("1", "2", "room:rec", "push_many", Map.of("n", 1));
        client.next();
        client.next();

        RecordedFrame join = connection.takeInbound(WAIT);
        assertThat(join.direction()).isEqualTo(RecordedFrame.Direction.INBOUND);
        assertThat(join.event()).isEqualTo("phx_join");
        assertThat(join.message().joinRef()).isEqualTo("1");
        assertThat(connection.takeInbound("push_many", WAIT).payload().get("n").asInt()).isEqualTo(1);
        assertThat(connection.takeOutbound(WAIT).message().isReply()).isTrue();
        RecordedFrame item = connection.takeOutbound(WAIT);
        assertThat(item.text()).isEqualTo("[\"1\",null,\"room:rec\",\"item\",{\"i\":1}]");
        assertThat(connection.takeOutbound("phx_reply", WAIT).payload().get("response").get("n").asInt())
            .isEqualTo(1);
        connection.assertNoMoreInbound(Duration.ofMillis(50));
        connection.assertNoMoreOutbound(Duration.ofMillis(50));
        assertThat(connection.frames()).hasSize(5);
        assertThat(connection.joinedTopics()).containsExactly("room:rec");

        client.send(null, "3", "phoenix", "heartbeat", Map.of());
        assertThatThrownBy(() -> connection.assertNoMoreInbound(WAIT)).isInstanceOf(AssertionError.class)
            .hasMessageContaining("heartbeat");
        assertThatThrownBy(() -> connection.takeInbound("never", Duration.ofMillis(50)))
            .isInstanceOf(AssertionError.class).hasMessageContaining("no inbound 'never'");
      }
    }

    @Test
    void keepsNoFramesWhenRecordingIsOff() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder().recordFrames(false)).start();
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.join("1", "room:unrecorded", NO_PRESENCE);
        ClientConnection connection = server.takeConnection(WAIT);
        assertThat(connection.frames()).isEmpty();
        assertThatThrownBy(() -> connection.takeInbound(WAIT)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("recordFrames(false)");
      }
    }

    @Test
    void handsOutConnectionsInTheOrderTheyOpened() throws Exception {
      try (PhoenixTestServer server = PhoenixTestServer.builder().start();
          WireClient first = WireClient.connect(server, "n=1&vsn=2.0.0")) {
        await().atMost(WAIT).until(() -> server.openConnections().size() == 1);
        try (WireClient second = WireClient.connect(server, "n=2&vsn=2.0.0")) {
          first.expectNothingMore();
          second.expectNothingMore();
          assertThat(server.takeConnection(WAIT).request().param("n")).isEqualTo("1");
          assertThat(server.takeConnection(WAIT).request().param("n")).isEqualTo("2");
          assertThat(server.openConnections()).hasSize(2);
          assertThatThrownBy(() -> server.takeConnection(Duration.ofMillis(50))).isInstanceOf(AssertionError.class);
        }
      }
    }
  }

  @Nested
  class IdleTimeout {
    @Test
    void dropsASilentConnection() throws Exception {
      try (PhoenixTestServer server = PhoenixTestServer.builder().idleTimeout(Duration.ofMillis(300)).start();
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        int code = client.awaitClose();
        assertThat(code).isNotEqualTo(1000);
        assertThat(server.takeConnection(WAIT).awaitClose(WAIT).code()).isEqualTo(code);
      }
    }
  }
}
