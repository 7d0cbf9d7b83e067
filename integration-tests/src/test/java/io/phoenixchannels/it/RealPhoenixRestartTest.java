package io.phoenixchannels.it;

import static io.phoenixchannels.it.ClientKit.WAIT;
import static io.phoenixchannels.it.ClientKit.reply;
import static io.phoenixchannels.it.ClientKit.socket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.ChannelState;
import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixPresence;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Push;
import io.phoenixchannels.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real Phoenix server stopped (SIGTERM: it closes its WebSockets with 1012) and started again on the same port,
 * under a socket with channels joined and pushes in flight, over every transport, on 1.7 and 1.8 (with the Maven
 * profile {@code real-phoenix}; each run has a server of its own). What "no push lost or duplicated" means here:
 * <ul>
 *   <li>every push ends exactly once for its caller: acknowledged, or timed out;</li>
 *   <li>a push made while the server is down waits in the client's buffers and is delivered after the rejoin:
 *       acknowledged, and its broadcast seen exactly once;</li>
 *   <li>a push in flight at the stop may time out (its reply, or the push itself, died with the server), but it is
 *       never delivered twice: the client does not send it again, so its broadcast is seen at most once;</li>
 *   <li>every channel rejoins, on the new server: once over a WebSocket;</li>
 *   <li>Presence: the clients that reconnect end with the same list as a client that joins afterwards.</li>
 * </ul>
 * The reference app's {@code broadcast} event broadcasts the payload to the topic's members, this socket's channel
 * included, before its ok reply: the broadcasts a channel receives count the server's deliveries of each push.
 */
@ExtendWith({RealPhoenixLogs.class, ClientTransport.NettyThreads.class})
class RealPhoenixRestartTest {
  private static final int CHANNELS = 8;
  private static final int IN_FLIGHT = 20;
  private static final int MAX_DURING_STOP = 20_000;
  private static final int WHILE_DOWN = 40;
  private static final Duration IN_FLIGHT_TIMEOUT = Duration.ofSeconds(2);
  /** Long enough for the server to stop, start and take the rejoins on a busy machine. */
  private static final Duration BUFFERED_TIMEOUT = Duration.ofSeconds(30);
  private static final Map<String, Object> NO_PRESENCE = Map.of("presence", false);

  static Stream<Arguments> realServersAndTransports() {
    List<Arguments> all = new ArrayList<>();
    if (RealPhoenix.listed()) {
      for (Target target : List.of(Target.REAL_1_7, Target.REAL_1_8)) {
        for (ClientTransport transport : ClientTransport.values()) {
          all.add(Arguments.of(target, transport));
        }
      }
    }
    return all.stream();
  }

  /** Every push and what came back for it: outcomes for the caller, broadcasts seen (the server's deliveries). */
  private static final class Ledger {
    final Map<Long, Queue<String>> outcomes = new ConcurrentHashMap<>();
    final Map<Long, AtomicInteger> delivered = new ConcurrentHashMap<>();
    final Map<Long, Push> pushes = new ConcurrentHashMap<>();
    private long nextId;

    long push(PhoenixChannel channel, String event, Duration timeout, Map<String, Object> extra) {
      long id = ++nextId;
      Queue<String> outcome = new ConcurrentLinkedQueue<>();
      outcomes.put(id, outcome);
      Map<String, Object> payload = new java.util.HashMap<>(extra);
      payload.put("id", id);
      Push push = channel.push(event, payload, timeout);
      push.receive(Reply.OK, reply -> outcome.add(Reply.OK)).receive(Reply.ERROR, reply -> outcome.add(Reply.ERROR))
          .receive(Reply.TIMEOUT, reply -> outcome.add(Reply.TIMEOUT));
      pushes.put(id, push);
      return id;
    }

    /** Runs once the push has its (first) outcome, whichever it is. */
    void onOutcome(long id, Runnable action) {
      pushes.get(id).toFuture().whenComplete((reply, failure) -> action.run());
    }

    void watch(PhoenixChannel channel) {
      channel.on("broadcasted", message -> delivered.computeIfAbsent(message.payload().path("id").asLong(),
          id -> new AtomicInteger()).incrementAndGet());
    }

    boolean settled() {
      return outcomes.values().stream().noneMatch(Queue::isEmpty);
    }

    List<String> outcome(long id) {
      return List.copyOf(outcomes.get(id));
    }

    int deliveries(long id) {
      AtomicInteger count = delivered.get(id);
      return count == null ? 0 : count.get();
    }
  }

  @ParameterizedTest(name = "{0} {1}", allowZeroInvocations = true)
  @MethodSource("realServersAndTransports")
  void everyChannelRejoinsAndNoPushIsLostOrDeliveredTwiceAcrossAStopAndStart(Target target,
      ClientTransport transport) throws Exception {
    RealPhoenix real = RealPhoenix.startNew(target.version());
    ScenarioServer server = ScenarioServer.real(real);
    Ledger ledger = new Ledger();
    List<AtomicInteger> joins = new ArrayList<>();
    try (PhoenixSocket socket = socket(server, Map.of("user_id", "rita"), transport).build();
        PhoenixSocket ann = socket(server, Map.of("user_id", "ann"), transport).build();
        PhoenixSocket ben = socket(server, Map.of("user_id", "ben"), transport).build();
        PhoenixSocket cat = socket(server, Map.of("user_id", "cat"), transport).build()) {
      List<PhoenixChannel> channels = new ArrayList<>();
      for (int i = 0; i < CHANNELS; i++) {
        PhoenixChannel channel = socket.channel("room:restart-" + i, NO_PRESENCE);
        AtomicInteger joined = new AtomicInteger();
        channel.join().receive(Reply.OK, reply -> joined.incrementAndGet());
        ledger.watch(channel);
        channels.add(channel);
        joins.add(joined);
      }
      ClientKit.Events<CloseEvent> closes = new ClientKit.Events<>();
      socket.onClose(closes::add);
      socket.connect();
      PhoenixChannel annRoom = ann.channel("room:restart-presence", Map.of("name", "Ann"));
      PhoenixChannel benRoom = ben.channel("room:restart-presence", Map.of("name", "Ben"));
      PhoenixPresence annView = new PhoenixPresence(annRoom);
      PhoenixPresence benView = new PhoenixPresence(benRoom);
      ann.connect();
      ben.connect();
      reply(annRoom.join());
      reply(benRoom.join());
      await().atMost(WAIT).until(() -> joins.stream().allMatch(count -> count.get() == 1)
          && keys(annView).equals(List.of("ann", "ben")) && keys(benView).equals(List.of("ann", "ben")));

      // In flight at the stop: a slow push per channel, certainly unanswered, and broadcasts made all the while
      // the server shuts down (at most IN_FLIGHT without an outcome, so they keep coming until it is gone).
      List<Long> slow = new ArrayList<>();
      for (PhoenixChannel channel : channels) {
        slow.add(ledger.push(channel, "slow", IN_FLIGHT_TIMEOUT, Map.of("ms", 10_000)));
      }
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(real::stop);
      Semaphore slots = new Semaphore(IN_FLIGHT);
      List<Long> duringStop = new ArrayList<>();
      while (!stopping.isDone() && duringStop.size() < MAX_DURING_STOP) {
        assertThat(slots.tryAcquire(IN_FLIGHT_TIMEOUT.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS))
            .as("a push outcome within three push timeouts").isTrue();
        long id = ledger.push(channels.get(duringStop.size() % CHANNELS), "broadcast", IN_FLIGHT_TIMEOUT, Map.of());
        ledger.onOutcome(id, slots::release);
        duringStop.add(id);
      }
      stopping.get(90, TimeUnit.SECONDS);
      // Down, and the client knows it: its channels errored, so what it pushes now waits in its buffers.
      await().atMost(WAIT).until(() -> channels.stream().noneMatch(channel -> channel.state() == ChannelState.JOINED));

      CloseEvent close = closes.take();
      assertThat(close.requested()).isFalse();
      if (transport.isWebSocket()) {
        // A stopping Phoenix closes its WebSockets with 1012, unless a push being written meets the closed
        // connection first (seen once in 16 runs, on the JDK WebSocket): then the client reports 1006.
        assertThat(close.code()).as("the close code").isIn(1012, CloseEvent.ABNORMAL);
      }

      List<Long> whileDown = new ArrayList<>();
      for (int i = 0; i < WHILE_DOWN; i++) {
        whileDown.add(ledger.push(channels.get(i % CHANNELS), "broadcast", BUFFERED_TIMEOUT, Map.of()));
      }
      real.start();

      await().atMost(Duration.ofSeconds(20)).until(() -> channels.stream()
          .allMatch(channel -> channel.state() == ChannelState.JOINED)
          && joins.stream().allMatch(count -> count.get() >= 2));
      await().atMost(BUFFERED_TIMEOUT.plus(WAIT)).until(ledger::settled);

      if (transport.isWebSocket()) {
        assertThat(joins).as("successful joins per channel: the first and one rejoin")
            .allSatisfy(count -> assertThat(count.get()).isEqualTo(2));
      } else {
        // Once in about a dozen runs over long-poll (1.8), the client went through a second session after the
        // restart, and every channel rejoined twice; nothing was lost or duplicated. Cause not found yet.
        assertThat(joins).as("successful joins per channel: the first and at least one rejoin")
            .allSatisfy(count -> assertThat(count.get()).isGreaterThanOrEqualTo(2));
      }
      for (long id : whileDown) {
        assertThat(ledger.outcome(id)).as("push %d, made while the server was down", id).containsExactly(Reply.OK);
        assertThat(ledger.deliveries(id)).as("deliveries of push %d, made while down", id).isEqualTo(1);
      }
      int timedOut = 0;
      for (long id : duringStop) {
        List<String> outcome = ledger.outcome(id);
        assertThat(outcome).as("outcomes of push %d, made while the server stopped", id).hasSize(1)
            .containsAnyOf(Reply.OK, Reply.TIMEOUT);
        if (outcome.get(0).equals(Reply.OK)) {
          assertThat(ledger.deliveries(id)).as("deliveries of acknowledged push %d", id).isEqualTo(1);
        } else {
          timedOut++;
          assertThat(ledger.deliveries(id)).as("deliveries of timed-out push %d", id).isLessThanOrEqualTo(1);
        }
      }
      for (long id : slow) {
        assertThat(ledger.outcome(id)).as("the slow push %d, unanswered at the stop", id)
            .containsExactly(Reply.TIMEOUT);
      }
      System.out.printf("%s over %s: %d of %d pushes made while it stopped timed out; %d made while down all "
          + "delivered once%n", real, transport, timedOut, duringStop.size(), WHILE_DOWN);
      assertThat(reply(channels.get(0).push("echo", Map.of("after", "restart"))).response().get("after").asText())
          .isEqualTo("restart");

      // Presence: the two reconnected clients and a fresh one see the same three users.
      cat.connect();
      PhoenixChannel catRoom = cat.channel("room:restart-presence", Map.of("name", "Cat"));
      PhoenixPresence catView = new PhoenixPresence(catRoom);
      reply(catRoom.join());
      List<String> everyone = List.of("ann", "ben", "cat");
      await().atMost(WAIT).until(() -> keys(catView).equals(everyone) && keys(annView).equals(everyone)
          && keys(benView).equals(everyone) && !annView.isStale() && !benView.isStale());
      assertThat(annView.list()).as("one meta per user").allSatisfy(entry -> assertThat(entry.metas()).hasSize(1));
    } finally {
      real.stop();
    }
  }

  private static List<String> keys(PhoenixPresence presence) {
    return presence.list(io.phoenixchannels.Presence::key).stream().sorted().toList();
  }
}
