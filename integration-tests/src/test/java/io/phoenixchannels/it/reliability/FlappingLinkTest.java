package io.phoenixchannels.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.ChannelState;
import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Push;
import io.phoenixchannels.ReconnectPolicy;
import io.phoenixchannels.RejoinPolicy;
import io.phoenixchannels.SocketState;
import io.phoenixchannels.testing.ScenarioFigures;
import io.phoenixchannels.testing.SilentLogger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A minute of a flapping link, on the manual clock: a {@link ScriptedPhoenixServer} (a Phoenix server played on the
 * {@link ManualEventLoop}, 5 ms each way) behind a link that is up for 100-500 ms, then down for 20-300 ms (open
 * connections reset, new ones refused) or, one time in four, blackholed for 0.2-2.5 s (frames held, no FIN), and so
 * on for 60 s of clock time, while the client pushes every 10 ms to one of 8 channels and every 2 s leaves a channel
 * and joins its topic again with a new one. Real time: well under a second; nothing sleeps.
 *
 * <p>At the end: one channel per topic (no duplicates left behind by the churn), no topic ever joined twice on one
 * connection, no push sent with a stale join_ref or to an unjoined topic, every push ended exactly once and reached
 * the server at most once, every channel joined with the same join as the server, the clock holds no stray timers.
 */
class FlappingLinkTest {
  private static final long SEED = 0x5EED_F1A9L;
  private static final int TOPICS = 8;
  private static final Duration STEP = Duration.ofMillis(10);
  private static final Duration FLAPPING = Duration.ofSeconds(60);
  private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(2);

  @Test
  void aMinuteOfFlappingLeavesNoDuplicateChannelsOrJoinsAndAConsistentState() {
    ScenarioFigures figures = new ScenarioFigures("1g-flapping-link",
        "Flapping link: 60 s of cuts and blackholes every few hundred ms (manual clock)").manualClock();
    ManualEventLoop loop = new ManualEventLoop();
    ScriptedPhoenixServer server = new ScriptedPhoenixServer(loop, Duration.ofMillis(5));
    Random random = new Random(SEED);
    PhoenixSocket socket = PhoenixSocket.builder("ws://flapping.test/socket")
        .eventLoop(loop).transport(server).logger(new SilentLogger())
        .timeout(PUSH_TIMEOUT).connectTimeout(Duration.ofMillis(500))
        .heartbeatInterval(Duration.ofSeconds(1)).heartbeatTimeout(Duration.ofMillis(500))
        .reconnectPolicy(ReconnectPolicy.builder().delays(ms(10), ms(50), ms(100), ms(200)).jitter(0.2).build())
        .rejoinPolicy(RejoinPolicy.builder().delays(ms(100), ms(200), ms(500)).build())
        .build();
    Map<String, PhoenixChannel> channels = new LinkedHashMap<>();
    for (int i = 0; i < TOPICS; i++) {
      String topic = "room:" + i;
      channels.put(topic, join(socket, topic));
    }
    socket.connect();
    PushLedger ledger = new PushLedger();

    long now = 0;
    long nextFlip = between(random, 100, 500);
    long upAt = -1;
    int downs = 0;
    int blackholes = 0;
    int churns = 0;
    List<Duration> recoveries = new ArrayList<>();
    long end = FLAPPING.toMillis();
    long settleEnd = end + 30_000;
    for (; now < settleEnd; now += STEP.toMillis()) {
      if (now < end && now >= nextFlip) {
        if (server.link() == ScriptedPhoenixServer.Link.UP) {
          if (random.nextInt(4) == 0) {
            server.blackhole();
            blackholes++;
            nextFlip = now + between(random, 200, 2_500);
          } else {
            server.down();
            downs++;
            nextFlip = now + between(random, 20, 300);
          }
          upAt = -1;
        } else {
          server.up();
          upAt = allJoined(socket, channels) ? -1 : now;
          nextFlip = now + between(random, 100, 500);
        }
      }
      if (now >= end && server.link() != ScriptedPhoenixServer.Link.UP) {
        server.up();
        upAt = allJoined(socket, channels) ? -1 : now;
      }
      if (now < end) {
        PhoenixChannel target = new ArrayList<>(channels.values()).get(random.nextInt(TOPICS));
        long id = ledger.nextId();
        ledger.track(id, target.push("echo", Map.of("id", id)));
        if (now > 0 && now % 2_000 == 0) {
          String topic = "room:" + random.nextInt(TOPICS);
          channels.get(topic).leave();
          channels.put(topic, join(socket, topic));
          churns++;
        }
      }
      loop.advance(STEP);
      if (upAt >= 0 && allJoined(socket, channels)) {
        recoveries.add(Duration.ofMillis(now + STEP.toMillis() - upAt));
        upAt = -1;
      }
    }

    // The final state, after 30 s of a healthy link.
    assertThat(socket.state()).isEqualTo(SocketState.OPEN);
    assertThat(socket.channels()).as("one channel per topic, the churned ones gone")
        .hasSize(TOPICS).containsExactlyInAnyOrderElementsOf(channels.values());
    assertThat(channels.values()).allMatch(channel -> channel.state() == ChannelState.JOINED);
    ScriptedPhoenixServer.Connection current = server.current();
    assertThat(current.joinedTopics().keySet()).containsExactlyInAnyOrderElementsOf(channels.keySet());
    long lostBefore = ledger.pending();
    List<Push> finalPushes = new ArrayList<>();
    for (PhoenixChannel channel : channels.values()) {
      long id = ledger.nextId();
      Push push = channel.push("echo", Map.of("id", id));
      ledger.track(id, push);
      finalPushes.add(push);
    }
    loop.advance(Duration.ofMillis(50));
    assertThat(finalPushes).as("a push on every channel is answered: client and server agree on every join")
        .allMatch(push -> push.toFuture().isDone() && push.toFuture().getNow(null).isOk());
    loop.advance(PUSH_TIMEOUT.multipliedBy(2));

    assertThat(lostBefore).as("pushes without an outcome: %s", ledger).isZero();
    assertThat(ledger.pending()).isZero();
    assertThat(ledger.duplicated()).as("pushes with two outcomes").isZero();
    assertThat(server.duplicateDeliveries()).as("pushes delivered twice").isZero();
    assertThat(server.duplicateJoins()).as("topics joined twice on one connection").isZero();
    assertThat(server.staleJoinRefPushes()).as("pushes with a stale join_ref").isZero();
    assertThat(server.unmatchedPushes()).as("pushes to a topic not joined").isZero();
    // Between two heartbeats (one heartbeat every second) the only timer left is the next heartbeat's: no push
    // timeout, rejoin or reconnect timer stays behind.
    for (int i = 0; i < 200 && loop.pendingTimers() > 1; i++) {
      loop.advance(Duration.ofMillis(5));
    }
    assertThat(loop.pendingTimers()).as("timers left between heartbeats").isEqualTo(1);
    assertThat(downs + blackholes).as("link failures in the minute").isGreaterThan(50);
    assertThat(recoveries).isNotEmpty();

    ledger.addTo(figures, 0);
    recoveries.forEach(figures::recovery);
    figures.duplicated(server.duplicateDeliveries() + server.duplicateJoins())
        .note(downs + " resets + " + blackholes + " blackholes in 60 s; " + server.connectionCount()
            + " connection attempts (" + server.refusedConnections() + " refused); " + churns
            + " leave/join churns; 0 duplicate joins, 0 stale join_refs; seed " + Long.toHexString(SEED))
        .write();
  }

  private static PhoenixChannel join(PhoenixSocket socket, String topic) {
    PhoenixChannel channel = socket.channel(topic);
    channel.join();
    return channel;
  }

  private static boolean allJoined(PhoenixSocket socket, Map<String, PhoenixChannel> channels) {
    return socket.isConnected() && channels.values().stream().allMatch(c -> c.state() == ChannelState.JOINED);
  }

  private static long between(Random random, long min, long max) {
    return min + (long) (random.nextDouble() * (max - min));
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
