package io.phoenixchannels.it;

import static io.phoenixchannels.it.ClientKit.WAIT;
import static io.phoenixchannels.it.ClientKit.connectionWith;
import static io.phoenixchannels.it.ClientKit.reply;
import static io.phoenixchannels.it.ClientKit.socket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.ChannelState;
import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.ReconnectPolicy;
import io.phoenixchannels.testserver.ClientConnection;
import io.phoenixchannels.testserver.ConnectionClose;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our client's connection against the test server: refusals, auth tokens, and every way the server ends a
 * connection — after each, the client reconnects and its channels rejoin (DESIGN.md: reconnect after any close the
 * user did not ask for, including the server's 1000 and 1001).
 */
class ConnectionScenariosTest {
  private static final Map<String, Object> NO_PRESENCE = Map.of("presence", false);

  /** A joined channel on a fresh socket; the connection the server saw for it. */
  private record Joined(PhoenixSocket socket, PhoenixChannel channel, ClientConnection connection) {}

  private static Joined joined(PhoenixTestServer server, String userId, PhoenixSocket.Builder builder)
      throws InterruptedException {
    PhoenixSocket socket = builder.build();
    socket.connect();
    PhoenixChannel channel = socket.channel("room:lobby", NO_PRESENCE);
    assertThat(reply(channel.join()).isOk()).isTrue();
    return new Joined(socket, channel, connectionWith(server, "user_id", userId));
  }

  /** After the connection ended: a new one from the same client, and the channel joined on it again. */
  private static void assertReconnectedAndRejoined(PhoenixTestServer server, Joined joined) throws Exception {
    ClientConnection next = await().atMost(WAIT).until(
        () -> connectionWith(server, "user_id", joined.connection().request().param("user_id")),
        connection -> connection != joined.connection() && connection.joinedTopics().contains("room:lobby"));
    assertThat(next.isOpen()).isTrue();
    await().atMost(WAIT).until(() -> joined.channel().state() == ChannelState.JOINED);
    assertThat(reply(joined.channel().push("echo", Map.of("back", true))).response().get("back").asBoolean())
        .isTrue();
  }

  @Test
  void aRefusedConnectReports403AndKeepsRetrying() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        PhoenixSocket socket = socket(server, Map.of("token", "bad")).build()) {
      ClientKit.Events<PhoenixException> errors = new ClientKit.Events<>();
      ClientKit.Events<CloseEvent> closes = new ClientKit.Events<>();
      socket.onError(errors::add);
      socket.onClose(closes::add);
      socket.connect();
      PhoenixException refused = errors.take();
      assertThat(refused).isInstanceOf(ConnectionException.class);
      assertThat(((ConnectionException) refused).httpStatus()).hasValue(403);
      assertThat(closes.take().requested()).isFalse();
      assertThat(errors.take()).isInstanceOf(ConnectionException.class); // the next attempt, on the backoff
      assertThat(server.connections()).isEmpty();
    }
  }

  @Test
  void anAuthTokenReachesThePhoenix18ConnectHandler() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        PhoenixSocket socket = socket(server, Map.of("user_id", "param_user")).authToken("secret-token").build()) {
      socket.connect();
      PhoenixChannel room = socket.channel("room:auth", NO_PRESENCE);
      reply(room.join());
      var whoami = reply(room.push("whoami", Map.of())).response();
      assertThat(whoami.get("user_id").asText()).isEqualTo("tokuser");
      assertThat(whoami.get("auth_token").asText()).isEqualTo("secret-token");
      ClientConnection connection = server.takeConnection(WAIT);
      assertThat(connection.request().authToken()).contains("secret-token");
      assertThat(connection.request().params().toString()).doesNotContain("secret-token");
    }
  }

  @Test
  void aWrongAuthTokenIsRefusedWith403() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        PhoenixSocket socket = socket(server, Map.of()).authToken("wrong").build()) {
      ClientKit.Events<PhoenixException> errors = new ClientKit.Events<>();
      socket.onError(errors::add);
      socket.connect();
      assertThat(((ConnectionException) errors.take()).httpStatus()).hasValue(403);
    }
  }

  @Test
  void aTokenAPhoenix17ServerIgnoresFailsTheConnectInsteadOfGoingOnAnonymously() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_7);
        PhoenixSocket socket = socket(server, Map.of()).authToken("secret-token")
            .reconnectPolicy(ReconnectPolicy.never()).build()) {
      ClientKit.Events<PhoenixException> errors = new ClientKit.Events<>();
      socket.onError(errors::add);
      socket.connect();
      assertThat(errors.take().getMessage()).contains("'phoenix' subprotocol");
      assertThat(socket.isConnected()).isFalse();
      assertThat(server.takeConnection(WAIT).request().authToken()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(PhoenixVersion.class)
  void reconnectsAndRejoinsAfterTheServerDisconnectsTheSocketId(PhoenixVersion version) throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(version)) {
      ClientKit.Events<CloseEvent> closes = new ClientKit.Events<>();
      Joined client = joined(server, "dora", socket(server, Map.of("user_id", "dora")));
      client.socket().onClose(closes::add);
      assertThat(reply(client.channel().push("disconnect_me", Map.of())).isOk()).isTrue();
      CloseEvent close = closes.take();
      assertThat(close.code()).isEqualTo(version.disconnectCloseCode());
      assertThat(close.requested()).isFalse();
      assertThat(client.connection().awaitClose(WAIT).code()).isEqualTo(version.disconnectCloseCode());
      assertReconnectedAndRejoined(server, client);
      client.socket().close();
    }
  }

  @Test
  void reconnectsAndRejoinsAfterTheServerRestartsOnTheSamePort() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      Joined client = joined(server, "rex", socket(server, Map.of("user_id", "rex")));
      server.restart();
      assertReconnectedAndRejoined(server, client);
      client.socket().close();
    }
  }

  @Test
  void reconnectsAfterTheConnectionIsCut() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      ClientKit.Events<CloseEvent> closes = new ClientKit.Events<>();
      Joined client = joined(server, "cut", socket(server, Map.of("user_id", "cut")));
      client.socket().onClose(closes::add);
      client.connection().cut();
      assertThat(closes.take().code()).isEqualTo(CloseEvent.ABNORMAL);
      assertReconnectedAndRejoined(server, client);
      client.socket().close();
    }
  }

  @Test
  void reconnectsAfterAServerCloseWithAnApplicationCode() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      ClientKit.Events<CloseEvent> closes = new ClientKit.Events<>();
      Joined client = joined(server, "code", socket(server, Map.of("user_id", "code")));
      client.socket().onClose(closes::add);
      client.connection().close(4001, "maintenance");
      CloseEvent close = closes.take();
      assertThat(close.code()).isEqualTo(4001);
      assertThat(close.reason()).isEqualTo("maintenance");
      assertReconnectedAndRejoined(server, client);
      client.socket().close();
    }
  }

  @Test
  void reconnectsOnceTheServerAcceptsConnectionsAgain() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      ClientKit.Events<PhoenixException> errors = new ClientKit.Events<>();
      Joined client = joined(server, "patient", socket(server, Map.of("user_id", "patient")));
      client.socket().onError(errors::add);
      server.faults().refuseConnections(503);
      client.connection().cut();
      assertThat(((ConnectionException) errors.take()).httpStatus()).hasValue(503);
      server.faults().acceptConnections();
      assertReconnectedAndRejoined(server, client);
      client.socket().close();
    }
  }

  @Test
  void aFrameOverTheServersLimitClosesWith1009AndTheClientReconnects() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder().maxFrameBytes(2000))
        .start()) {
      ClientKit.Events<CloseEvent> closes = new ClientKit.Events<>();
      Joined client = joined(server, "big", socket(server, Map.of("user_id", "big")));
      client.socket().onClose(closes::add);
      client.channel().push("echo", Map.of("blob", "x".repeat(5000)));
      assertThat(closes.take().code()).isEqualTo(CloseEvent.MESSAGE_TOO_BIG);
      assertThat(client.connection().awaitClose(WAIT)).isEqualTo(new ConnectionClose(1009, "message too large",
          true));
      assertReconnectedAndRejoined(server, client);
      client.socket().close();
    }
  }

  @Test
  void theServerDropsASilentClientAfterItsIdleTimeoutAndTheClientComesBack() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder()
        .idleTimeout(Duration.ofMillis(300))).start()) {
      Joined client = joined(server, "quiet", socket(server, Map.of("user_id", "quiet")));
      ConnectionClose close = client.connection().awaitClose(WAIT);
      assertThat(close.byServer()).isFalse();
      assertReconnectedAndRejoined(server, client);
      client.socket().close();
    }
  }
}
