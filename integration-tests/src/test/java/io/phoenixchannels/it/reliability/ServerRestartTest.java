package io.phoenixchannels.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.testing.ScenarioFigures;
import io.phoenixchannels.testserver.ClientConnection;
import io.phoenixchannels.testserver.PhoenixTestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server restarts on the same port while one socket has 20 channels joined and pushes in flight: every
 * channel rejoins (once, on the new connection), and every push ends exactly once for its caller — acknowledged,
 * or timed out when its reply died with the old connection — and reaches the server at most once.
 */
class ServerRestartTest {
  private static final int CHANNELS = 20;
  private static final int PUSHES = 1_500;
  private static final int IN_FLIGHT = 40;

  @Test
  void everyChannelRejoinsAndEveryPushEndsExactlyOnceAcrossARestart() throws Exception {
    ScenarioFigures figures = new ScenarioFigures("1a-server-restart",
        "Server restart, 20 channels joined, pushes in flight");
    ServerTally tally = new ServerTally();
    List<String> topics = JoinedChannels.topics("room:", CHANNELS);
    try (PhoenixTestServer server = PhoenixTestServer.builder().recordFrames(false)
            .channel("room:*", tally::handler).start();
        PhoenixSocket socket = Sockets.fast(server.url()).build()) {
      // Replies take 50 ms, so that pushes are in flight whenever the restart comes.
      server.faults().delayReplies(Duration.ofMillis(50), message -> message.event().equals("echo"));
      JoinedChannels rooms = new JoinedChannels(socket, topics);
      socket.connect();
      rooms.awaitAllJoined(Duration.ofSeconds(5));
      SteadyPusher pusher = new SteadyPusher(rooms.channels(), PUSHES, IN_FLIGHT, Sockets.PUSH_TIMEOUT).start();
      pusher.awaitPushed(PUSHES / 3, Duration.ofSeconds(10));

      long inFlight = pusher.ledger().pending();
      long restartedAt = System.nanoTime();
      server.restart();
      Duration recovery = rooms.awaitRejoinedSince(restartedAt, Duration.ofSeconds(10));
      pusher.awaitAllPushed(Duration.ofSeconds(30));
      long lost = pusher.ledger().awaitSettled(Sockets.PUSH_TIMEOUT.multipliedBy(2));

      PushLedger ledger = pusher.ledger();
      ClientConnection current = server.openConnections().get(0);
      assertThat(server.openConnections()).hasSize(1);
      assertThat(current.joinedTopics()).containsExactlyInAnyOrderElementsOf(topics);
      assertThat(tally.joinsOn(current.id(), topics).values()).as("joins per topic on the new connection")
          .containsOnly(1);
      assertThat(rooms.joinCounts()).as("successful joins per channel: the first and one rejoin").containsOnly(2);
      assertThat(inFlight).as("pushes in flight at the restart").isPositive();
      assertThat(lost).as("pushes without an outcome: %s", ledger).isZero();
      assertThat(ledger.duplicated()).as("pushes with two outcomes").isZero();
      assertThat(tally.duplicateDeliveries()).as("pushes delivered twice to the server").isZero();
      assertThat(tally.duplicateJoins()).isZero();
      assertThat(ledger.sent()).isEqualTo(PUSHES);
      // Those in flight when the connection dropped: at most the pusher's limit of 40.
      assertThat(ledger.timedOut()).as("the pushes in flight at the restart time out").isPositive()
          .isLessThanOrEqualTo(IN_FLIGHT);

      ledger.addTo(figures, lost);
      figures.duplicated(tally.duplicateDeliveries()).recovery(recovery)
          .note(inFlight + " pushes in flight when the restart began; " + CHANNELS + "/" + CHANNELS
              + " channels rejoined once each")
          .write();
    }
  }
}
