package io.phoenixchannels.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The listener hears connects, refusals, joins, channel ends and disconnects, in each connection's order. */
class ServerListenerTest {

  @Test
  void hearsAConnectionsLifeInOrder() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    ServerListener listener = new ServerListener() {
      @Override
      public void connected(ClientConnection connection) {
        heard.add("connected " + connection.socketId().orElse("-"));
      }

      @Override
      public void refused(ConnectRequest request) {
        heard.add("refused token=" + request.param("token"));
      }

      @Override
      public void joined(ServerChannel channel) {
        heard.add("joined " + channel.topic());
      }

      @Override
      public void channelEnded(ServerChannel channel, String reason) {
        heard.add("ended " + channel.topic() + " " + reason);
      }

      @Override
      public void disconnected(ClientConnection connection, ConnectionClose close) {
        heard.add("disconnected " + close.code() + (close.byServer() ? " by server" : " by client"));
      }
    };
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder().listener(listener)).start()) {
      try (WireClient client = WireClient.connect(server, "user_id=ivy&vsn=2.0.0")) {
        client.join("1", "room:a", Map.of("presence", false));
        client.join("2", "room:b", Map.of("presence", false));
        client.send("2", "3", "room:b", "phx_leave", Map.of());
        client.next(); // the leave's ok
        client.next(); // phx_close
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> heard.stream().anyMatch(line -> line.startsWith("disc")));
      assertThat(heard).hasSize(6).startsWith("connected users_socket:ivy", "joined room:a", "joined room:b",
          "ended room:b left", "ended room:a connection closed");
      assertThat(heard.get(5)).matches("disconnected \\d+ by client"); // the test client closes without a handshake

      heard.clear();
      assertThat(RawWebSocket.connect(server.port(), "/socket/websocket?token=bad&vsn=2.0.0", Map.of()).status())
          .isEqualTo(403);
      assertThat(heard).containsExactly("refused token=bad");
    }
  }

  @Test
  void hearsAStopAsDisconnectsByTheServerBeforeStopReturns() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    ServerListener listener = new ServerListener() {
      @Override
      public void channelEnded(ServerChannel channel, String reason) {
        heard.add("ended " + channel.topic());
      }

      @Override
      public void disconnected(ClientConnection connection, ConnectionClose close) {
        heard.add("disconnected " + close.code() + (close.byServer() ? " by server" : " by client"));
      }
    };
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder().listener(listener)).start();
        WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
      client.join("1", "room:a", Map.of("presence", false));
      server.stop();
      assertThat(heard).containsExactly("ended room:a", "disconnected 1001 by server");
      assertThat(client.awaitClose()).isEqualTo(1001);
    }
  }

  @Test
  void aStoppingServerRefusesClientsThatReconnectAtOnce() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        SilentClient silent = SilentClient.connect(server.port())) {
      int port = server.port(); // asked now: the server's own lock is held while it stops
      await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections().size() == 1);
      // The silent client does not answer the 1001, so the stop waits (up to its bound) with the close frames sent
      // and the port already closed: the moment at which clients reconnect.
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
      assertThat(silent.readCloseFrame()).isEqualTo(1001);
      assertThat(stopping).as("still stopping").isNotDone();
      // Refused, or (while the JDK finishes closing the listening socket) answered 503: never a new session.
      assertThat(reconnect(port)).isIn("refused", "HTTP 503");
      assertThat(server.connections()).as("no session for the reconnect").hasSize(1);
      silent.answerClose(1001);
      stopping.get(10, TimeUnit.SECONDS);
      server.start();
      try (WireClient again = WireClient.connect(server, "vsn=2.0.0")) {
        again.expectNothingMore();
      }
    }
  }

  private static String reconnect(int port) throws IOException {
    try {
      return "HTTP " + RawWebSocket.connect(port, "/socket/websocket?vsn=2.0.0", Map.of()).status();
    } catch (ConnectException refused) {
      return "refused";
    }
  }

  @Test
  void hearsRefusedJoinsWithTheirTopicParamsAndReply() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    ServerListener listener = new ServerListener() {
      @Override
      public void joined(ServerChannel channel) {
        heard.add("joined " + channel.topic());
      }

      @Override
      public void joinRefused(JoinRequest join, JsonNode response) {
        heard.add("refused " + join.topic() + " " + join.params() + " join_ref " + join.joinRef() + " on #"
            + join.connection().id() + ": " + response);
      }
    };
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder().listener(listener)
            .maxChannelsPerSocket(1)).start();
        WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
      long id = server.takeConnection(WireClient.WAIT).id();
      client.join("1", "room:private:1", Map.of("k", "v"));
      client.join("2", "nope:1", Map.of());
      client.join("3", "room:crash_on_join", Map.of());
      client.join("4", "room:a", Map.of("presence", false));
      client.join("5", "room:b", Map.of("presence", false));
      // Each is heard before its reply is sent, and the last reply has been read.
      assertThat(heard).containsExactly(
          "refused room:private:1 {\"k\":\"v\"} join_ref 1 on #" + id + ": {\"reason\":\"unauthorized\"}",
          "refused nope:1 {} join_ref 2 on #" + id + ": {\"reason\":\"unmatched topic\"}",
          "refused room:crash_on_join {} join_ref 3 on #" + id + ": {\"reason\":\"join crashed\"}",
          "joined room:a",
          "refused room:b {\"presence\":false} join_ref 5 on #" + id + ": {\"reason\":\"max channels per "
              + "socket\"}");
    }
  }

  @Test
  void aListenerThatThrowsDoesNotHurtTheServer() throws Exception {
    ServerListener throwing = new ServerListener() {
      @Override
      public void joined(ServerChannel channel) {
        throw new IllegalStateException("a broken listener, on purpose");
      }
    };
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder().listener(throwing)).start();
        WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
      client.join("1", "room:a", Map.of("presence", false));
      client.send("1", "2", "room:a", "echo", Map.of("still", "served"));
      client.expect("['1','2','room:a','phx_reply',{'response':{'still':'served'},'status':'ok'}]");
    }
  }
}
