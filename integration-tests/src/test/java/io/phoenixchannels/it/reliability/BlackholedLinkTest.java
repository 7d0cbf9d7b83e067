package io.phoenixchannels.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.it.FaultProxy;
import io.phoenixchannels.testing.ScenarioFigures;
import io.phoenixchannels.testserver.PhoenixTestServer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The link between client and server goes silent (the proxy holds every byte: no data, no FIN, no RST) while
 * pushes flow. The next heartbeat gets no reply: the client aborts the transport, reports a 1006 close caused by
 * the heartbeat timeout, and keeps reconnecting; once the link heals it reconnects and rejoins. (The exact moment,
 * interval + timeout, with no close handshake that would wait a second on a dead link, is tested on the manual
 * clock in SocketTest; real time here only bounds it loosely.)
 */
class BlackholedLinkTest {
  private static final Duration INTERVAL = Duration.ofMillis(300);
  private static final Duration TIMEOUT = Duration.ofMillis(300);
  /**
   * Room for a loaded machine (seven builds on two cores delayed callbacks by seconds). Wide on purpose: the bounds
   * below only show that the heartbeat, not TCP (which would take minutes), found the dead link. That the abort
   * comes exactly at interval + timeout, with no close handshake, is tested on the manual clock
   * (SocketTest.Heartbeat#withoutReplyAbortsErrorsChannelsAndReconnects).
   */
  private static final Duration SLACK = Duration.ofSeconds(3);
  private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(1);

  private record Timed<T>(long at, T event) {}

  @Test
  void theHeartbeatDetectsTheDeadLinkAbortsAtOnceAndTheClientComesBackAfterItHeals() throws Exception {
    ScenarioFigures figures = new ScenarioFigures("1b-blackholed-link",
        "Blackholed link (no FIN), heartbeat 300 ms + timeout 300 ms");
    ServerTally tally = new ServerTally();
    try (PhoenixTestServer server = PhoenixTestServer.builder().recordFrames(false)
            .channel("room:*", tally::handler).start();
        FaultProxy proxy = new FaultProxy(server.port());
        PhoenixSocket socket = Sockets.fast("ws://127.0.0.1:" + proxy.port() + "/socket")
            .heartbeatInterval(INTERVAL).heartbeatTimeout(TIMEOUT).connectTimeout(Duration.ofMillis(500))
            .timeout(PUSH_TIMEOUT).build()) {
      AtomicLong lastHeartbeatReply = new AtomicLong();
      AtomicInteger heartbeatReplies = new AtomicInteger();
      BlockingQueue<Timed<CloseEvent>> closes = new LinkedBlockingQueue<>();
      BlockingQueue<Timed<PhoenixException>> errors = new LinkedBlockingQueue<>();
      socket.onMessage(message -> {
        if (message.topic().equals("phoenix") && message.isReply()) {
          lastHeartbeatReply.set(System.nanoTime());
          heartbeatReplies.incrementAndGet();
        }
      });
      socket.onClose(close -> closes.add(new Timed<>(System.nanoTime(), close)));
      socket.onError(error -> errors.add(new Timed<>(System.nanoTime(), error)));
      JoinedChannels rooms = new JoinedChannels(socket, JoinedChannels.topics("room:", 3));
      socket.connect();
      rooms.awaitAllJoined(Duration.ofSeconds(5));
      await().atMost(Duration.ofSeconds(5)).until(() -> heartbeatReplies.get() >= 2);
      SteadyPusher pusher = new SteadyPusher(rooms.channels(), 600, 10, PUSH_TIMEOUT).start();
      pusher.awaitPushed(100, Duration.ofSeconds(10));

      long blackholedAt = System.nanoTime();
      proxy.blackhole();
      Timed<CloseEvent> close = closes.poll(INTERVAL.plus(TIMEOUT).plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
      assertThat(close).as("a close after the blackhole").isNotNull();
      long lastReply = lastHeartbeatReply.get();
      Duration detection = Duration.ofNanos(close.at() - blackholedAt);
      Duration sinceLastReply = Duration.ofNanos(close.at() - lastReply);
      assertThat(close.event().code()).isEqualTo(CloseEvent.ABNORMAL);
      assertThat(close.event().requested()).isFalse();
      assertThat(close.event().cause()).isInstanceOf(ConnectionException.class);
      assertThat(close.event().cause().getMessage()).contains("heartbeat timeout");
      assertThat(lastReply).as("the last heartbeat reply came before the blackhole").isLessThan(blackholedAt);
      assertThat(detection).as("detected within interval + timeout (+ slack) of the blackhole")
          .isLessThanOrEqualTo(INTERVAL.plus(TIMEOUT).plus(SLACK));
      // Not before the unanswered heartbeat had its full timeout (the reply before it may have been seen late).
      assertThat(sinceLastReply).as("aborted once the heartbeat timed out").isGreaterThanOrEqualTo(TIMEOUT);

      // Still dead: a reconnect attempt reaches the proxy but its upgrade never completes.
      Timed<PhoenixException> failedAttempt = pollUntil(errors, error -> error.at() > close.at(),
          Duration.ofSeconds(5));
      assertThat(failedAttempt.event()).isInstanceOf(ConnectionException.class);
      assertThat(socket.isConnected()).isFalse();

      long healedAt = System.nanoTime();
      proxy.heal();
      Duration recovery = rooms.awaitRejoinedSince(healedAt, Duration.ofSeconds(10));
      pusher.awaitAllPushed(Duration.ofSeconds(30));
      long lost = pusher.ledger().awaitSettled(PUSH_TIMEOUT.multipliedBy(2));
      PushLedger ledger = pusher.ledger();
      assertThat(lost).as("%s", ledger).isZero();
      assertThat(ledger.duplicated()).isZero();
      assertThat(tally.duplicateDeliveries()).isZero();
      assertThat(tally.duplicateJoins()).isZero();
      assertThat(ledger.timedOut()).as("pushes lost in the blackhole time out").isPositive();

      ledger.addTo(figures, lost);
      figures.duplicated(tally.duplicateDeliveries()).recovery(recovery)
          .note("aborted " + detection.toMillis() + " ms after the blackhole, " + sinceLastReply.toMillis()
              + " ms after the last heartbeat reply (interval + timeout = " + INTERVAL.plus(TIMEOUT).toMillis()
              + " ms; a close handshake would have waited 1 s more); recovery counted from the heal")
          .write();
    }
  }

  private static <T> Timed<T> pollUntil(BlockingQueue<Timed<T>> queue,
      java.util.function.Predicate<Timed<T>> wanted, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Timed<T> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
      if (next == null) {
        throw new AssertionError("no matching event within " + atMost.toMillis() + " ms");
      }
      if (wanted.test(next)) {
        return next;
      }
    }
  }
}
