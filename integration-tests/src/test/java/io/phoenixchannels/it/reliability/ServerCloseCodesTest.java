package io.phoenixchannels.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.testing.ScenarioFigures;
import io.phoenixchannels.testserver.ClientConnection;
import io.phoenixchannels.testserver.ConnectDecision;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server ends the connection with a close frame while pushes flow on five channels: 1000 (Phoenix 1.7
 * disconnecting the socket id), 1001 (Phoenix 1.8 disconnecting it, or a server going away), 1011 (server error),
 * 1012 (service restart). After each the client reconnects, every channel rejoins once, and every push ends
 * exactly once. Then, with nothing in flight, the server closes the new connection the same way. Both times the
 * client must report exactly the server's code: the test server keeps the connection until the client answers its
 * close frame (as RFC 6455 has it), so a client still writing reads the frame instead of losing it to a reset.
 */
class ServerCloseCodesTest {
  private static final String USER = "closer";
  /** Pushes in flight when the connection closes get no reply: they end with this timeout. */
  private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(1);

  enum Close {
    NORMAL_BY_SOCKET_ID(1000, PhoenixVersion.PHOENIX_1_7, "disconnect by socket id (Phoenix 1.7)"),
    GOING_AWAY_BY_SOCKET_ID(1001, PhoenixVersion.PHOENIX_1_8, "disconnect by socket id (Phoenix 1.8)"),
    SERVER_ERROR(1011, PhoenixVersion.PHOENIX_1_8, "server error"),
    SERVICE_RESTART(1012, PhoenixVersion.PHOENIX_1_8, "service restart");

    final int code;
    final PhoenixVersion version;
    final String description;

    Close(int code, PhoenixVersion version, String description) {
      this.code = code;
      this.version = version;
      this.description = description;
    }

    void apply(PhoenixTestServer server, ClientConnection connection) {
      if (code == 1000 || code == 1001) {
        server.disconnect("users_socket:" + USER);
      } else {
        connection.close(code, description);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Close.class)
  void theClientReconnectsRejoinsAndAccountsForEveryPush(Close close) throws Exception {
    ScenarioFigures figures = new ScenarioFigures("1c-server-close-" + close.code,
        "Server closes with " + close.code + ": " + close.description);
    ServerTally tally = new ServerTally();
    List<String> topics = JoinedChannels.topics("room:", 5);
    try (PhoenixTestServer server = PhoenixTestServer.builder().version(close.version).recordFrames(false)
            .connectHandler(request -> ConnectDecision.accept("users_socket:" + request.param("user_id")))
            .channel("room:*", tally::handler).start();
        PhoenixSocket socket = Sockets.fast(server.url()).params(Map.of("user_id", USER)).build()) {
      BlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
      socket.onClose(closes::add);
      JoinedChannels rooms = new JoinedChannels(socket, topics);
      socket.connect();
      rooms.awaitAllJoined(Duration.ofSeconds(5));
      ClientConnection first = server.openConnections().get(0);
      SteadyPusher pusher = new SteadyPusher(rooms.channels(), 600, 20, PUSH_TIMEOUT).start();
      pusher.awaitPushed(200, Duration.ofSeconds(10));

      long closedAt = System.nanoTime();
      close.apply(server, first);
      CloseEvent event = closes.poll(5, TimeUnit.SECONDS);
      assertThat(event).isNotNull();
      assertThat(event.requested()).isFalse();
      assertThat(event.code()).as("the close the client saw under load: %s", event).isEqualTo(close.code);
      Duration recovery = rooms.awaitRejoinedSince(closedAt, Duration.ofSeconds(10));
      pusher.awaitAllPushed(Duration.ofSeconds(30));
      long lost = pusher.ledger().awaitSettled(PUSH_TIMEOUT.multipliedBy(2));

      PushLedger ledger = pusher.ledger();
      assertThat(first.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(close.code);
      ClientConnection second = server.openConnections().get(0);
      assertThat(second).isNotSameAs(first);
      assertThat(second.joinedTopics()).containsExactlyInAnyOrderElementsOf(topics);
      assertThat(tally.joinsOn(second.id(), topics).values()).containsOnly(1);
      assertThat(lost).as("%s", ledger).isZero();
      assertThat(ledger.duplicated()).isZero();
      assertThat(tally.duplicateDeliveries()).isZero();
      assertThat(tally.duplicateJoins()).isZero();

      // Quiet: nothing in flight, so nothing races the close frame.
      closes.clear();
      long quietCloseAt = System.nanoTime();
      close.apply(server, second);
      CloseEvent quiet = closes.poll(5, TimeUnit.SECONDS);
      assertThat(quiet).isNotNull();
      assertThat(quiet.code()).as("the close the client saw with nothing in flight: %s", quiet)
          .isEqualTo(close.code);
      assertThat(quiet.requested()).isFalse();
      Duration quietRecovery = rooms.awaitRejoinedSince(quietCloseAt, Duration.ofSeconds(10));
      assertThat(server.openConnections()).hasSize(1).doesNotContain(second);

      ledger.addTo(figures, lost);
      figures.duplicated(tally.duplicateDeliveries()).recovery(recovery).recovery(quietRecovery)
          .note("the client saw " + event.code() + " under load and " + quiet.code() + " with nothing in flight; "
              + "5/5 channels rejoined once after each")
          .write();
    }
  }
}
