package io.phoenixchannels.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.it.FaultProxy;
import io.phoenixchannels.testing.ScenarioFigures;
import io.phoenixchannels.testserver.ConnectDecision;
import io.phoenixchannels.testserver.PhoenixTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The server says no for a while — to the reconnect, to the join — and then yes. */
class RefusalsTest {
  private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(1);

  @Test
  void aReconnectRefusedWith403IsReportedAndRetriedUntilTheServerAcceptsIt() throws Exception {
    ScenarioFigures figures = new ScenarioFigures("1d-reconnect-403-then-accepted",
        "Link cut, reconnect refused with 403 three times, then accepted");
    ServerTally tally = new ServerTally();
    AtomicInteger refusalsLeft = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<String> topics = JoinedChannels.topics("room:", 3);
    try (PhoenixTestServer server = PhoenixTestServer.builder().recordFrames(false)
            .connectHandler(request -> {
              if (refusalsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refused.incrementAndGet();
                return ConnectDecision.refuse();
              }
              return ConnectDecision.accept();
            })
            .channel("room:*", tally::handler).start();
        FaultProxy proxy = new FaultProxy(server.port());
        PhoenixSocket socket = Sockets.fast("ws://127.0.0.1:" + proxy.port() + "/socket").build()) {
      Queue<PhoenixException> errors = new ConcurrentLinkedQueue<>();
      socket.onError(errors::add);
      JoinedChannels rooms = new JoinedChannels(socket, topics);
      socket.connect();
      rooms.awaitAllJoined(Duration.ofSeconds(5));
      SteadyPusher pusher = new SteadyPusher(rooms.channels(), 400, 10, PUSH_TIMEOUT).start();
      pusher.awaitPushed(100, Duration.ofSeconds(10));

      refusalsLeft.set(3);
      long cutAt = System.nanoTime();
      proxy.cut();
      Duration recovery = rooms.awaitRejoinedSince(cutAt, Duration.ofSeconds(10));
      pusher.awaitAllPushed(Duration.ofSeconds(30));
      long lost = pusher.ledger().awaitSettled(PUSH_TIMEOUT.multipliedBy(2));

      List<Integer> statuses = errors.stream().filter(ConnectionException.class::isInstance)
          .map(error -> ((ConnectionException) error).httpStatus().orElse(-1)).filter(status -> status > 0)
          .toList();
      assertThat(refused.get()).isEqualTo(3);
      assertThat(statuses).as("the refusals the error listeners heard").containsExactly(403, 403, 403);
      assertThat(server.openConnections()).hasSize(1);
      assertThat(tally.joinsOn(server.openConnections().get(0).id(), topics).values()).containsOnly(1);
      PushLedger ledger = pusher.ledger();
      assertThat(lost).as("%s", ledger).isZero();
      assertThat(ledger.duplicated()).isZero();
      assertThat(tally.duplicateDeliveries()).isZero();

      ledger.addTo(figures, lost);
      figures.duplicated(tally.duplicateDeliveries()).recovery(recovery)
          .note("3 refusals (HTTP 403) reported to the error listeners, then accepted; recovery from the cut")
          .write();
    }
  }

  @Test
  void aRefusedJoinIsRetriedOnTheRejoinBackoffAndPushesMadeMeanwhileGoOutOnceItSucceeds() throws Exception {
    ScenarioFigures figures = new ScenarioFigures("1e-join-refused-then-accepted",
        "Join refused twice per channel, then accepted; pushes buffered meanwhile");
    ServerTally tally = new ServerTally();
    Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    tally.refuseJoinsWhile(join ->
        attempts.computeIfAbsent(join.topic(), topic -> new AtomicInteger()).incrementAndGet() <= 2);
    List<String> topics = JoinedChannels.topics("room:", 3);
    try (PhoenixTestServer server = PhoenixTestServer.builder().recordFrames(false)
            .channel("room:*", tally::handler).start();
        PhoenixSocket socket = Sockets.fast(server.url()).build()) {
      long joinedAt = System.nanoTime();
      JoinedChannels rooms = new JoinedChannels(socket, topics);
      // Pushed before the joins succeed: they wait in the channels' bounded buffers.
      SteadyPusher pusher = new SteadyPusher(rooms.channels(), 300, 30, Sockets.PUSH_TIMEOUT).start();
      socket.connect();
      Duration recovery = rooms.awaitRejoinedSince(joinedAt, Duration.ofSeconds(10));
      pusher.awaitAllPushed(Duration.ofSeconds(30));
      long lost = pusher.ledger().awaitSettled(Sockets.PUSH_TIMEOUT.multipliedBy(2));

      await().atMost(Duration.ofSeconds(2)).until(() -> rooms.refusalCounts().stream().allMatch(n -> n == 2));
      assertThat(rooms.refusalCounts()).as("refused attempts per channel").containsOnly(2);
      assertThat(rooms.joinCounts()).as("successful joins per channel").containsOnly(1);
      assertThat(tally.joinAttempts()).isEqualTo(9);
      PushLedger ledger = pusher.ledger();
      assertThat(lost).as("%s", ledger).isZero();
      assertThat(ledger.acknowledged()).as("every buffered push went out once the join succeeded")
          .isEqualTo(300);
      assertThat(ledger.duplicated()).isZero();
      assertThat(tally.duplicateDeliveries()).isZero();
      assertThat(tally.delivered()).isEqualTo(300);

      ledger.addTo(figures, lost);
      figures.duplicated(tally.duplicateDeliveries()).recovery(recovery)
          .note("2 refusals per channel heard by the join's error receivers; recovery = connect to all joined")
          .write();
    }
  }
}
