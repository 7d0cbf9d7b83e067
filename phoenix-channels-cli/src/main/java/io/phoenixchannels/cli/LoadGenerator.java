package io.phoenixchannels.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What {@code phx bench} runs: sockets opened evenly over the ramp-up, each joining its channels, then pushes at a
 * fixed total rate spread round robin over the joined channels. Push {@code i} is due at {@code start + i / rate};
 * its latency runs from that moment to its reply, so a server (or client) that stalls is charged for every push
 * that was due meanwhile (no coordinated omission).
 *
 * <p>Pushes due before the measurement starts (the ramp-up, then the warm-up) are recorded apart from the steady
 * state: while thousands of sockets connect and join, the client and the server are busy with that, and those
 * latencies would swamp the percentiles of the load being measured.
 *
 * <p>When nothing has joined and every socket started so far has failed — its connection, or the join of each of
 * its channels — nothing can join: the run stops at once and {@link #firstFailure()} says why.
 */
final class LoadGenerator {
  private final Supplier<PhoenixSocket> sockets;
  private final List<String> topics;
  private final JsonNode joinParams;
  private final String event;
  private final JsonNode payload;
  private final BenchClock clock;
  private final Duration joinTimeout;
  private final List<PhoenixSocket> opened = new ArrayList<>();
  private final CopyOnWriteArrayList<PhoenixChannel> joined = new CopyOnWriteArrayList<>();
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger failedSockets = new AtomicInteger();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private final LongAdder sent = new LongAdder();
  private final LongAdder ok = new LongAdder();
  private final LongAdder errorReplies = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final Recorder warmUp = new Recorder(3);
  private final Recorder steady = new Recorder(3);
  private final Histogram warmUpTotal = new Histogram(3);
  private final Histogram steadyTotal = new Histogram(3);
  private volatile boolean stopped;
  private volatile boolean hopeless;

  /**
   * @param sockets makes the next socket, not yet connected
   * @param topics the topics every socket joins
   * @param joinParams the join params
   * @param event the event pushed
   * @param payload its payload
   * @param clock the time of the run
   * @param joinTimeout how long a join waits for its reply (the sockets' timeout), for the failure message
   */
  LoadGenerator(Supplier<PhoenixSocket> sockets, List<String> topics, JsonNode joinParams, String event,
      JsonNode payload, BenchClock clock, Duration joinTimeout) {
    this.sockets = sockets;
    this.topics = topics;
    this.joinParams = joinParams;
    this.event = event;
    this.payload = payload;
    this.clock = clock;
    this.joinTimeout = joinTimeout;
  }

  /**
   * Opens {@code count} sockets evenly over {@code rampUp} from {@code start}; returns when the last one was started,
   * or when the run stopped.
   */
  void open(int count, long start, Duration rampUp) throws InterruptedException {
    for (int i = 0; i < count && !stopped; i++) {
      clock.sleepUntil(start + rampUp.toNanos() * i / count, this::stopped);
      if (stopped) {
        return;
      }
      PhoenixSocket socket = sockets.get();
      synchronized (opened) {
        opened.add(socket);
      }
      started.incrementAndGet();
      SocketFate fate = new SocketFate();
      socket.onOpen(() -> {
        fate.opened.set(true);
        connected.incrementAndGet();
      });
      socket.onError(error -> {
        failures.increment();
        if (!fate.opened.get()) {
          failed(fate, FirstConnection.reason(error)); // reconnects keep trying, but nothing was ever open
        }
      });
      for (String topic : topics) {
        PhoenixChannel channel = socket.channel(topic, joinParams);
        channel.join()
            .receive("ok", reply -> joined.addIfAbsent(channel)) // a rejoin answers ok again
            .receive("error", reply -> {
              failures.increment();
              channelFailed(fate, topic,
                  "the server refused to join " + topic + ": " + Json.compact(reply.response()));
            })
            .receive("failed", reply -> {
              failures.increment();
              channelFailed(fate, topic,
                  "the join of " + topic + " failed: " + reply.failure().orElseThrow().getMessage());
            })
            .receive("timeout", reply -> {
              failures.increment();
              channelFailed(fate, topic, "no reply to the join of " + topic + " within " + joinTimeout.toMillis() + " ms");
            });
      }
      socket.connect();
    }
  }

  /**
   * Pushes at {@code rate} per second over the joined channels from {@code start} until {@code end}, or until
   * {@link #stop()}. Replies to pushes due before {@code measureFrom} are recorded as the warm-up, the others as the
   * steady state. All times are the clock's nanoseconds.
   */
  void push(int rate, long start, long measureFrom, long end) throws InterruptedException {
    if (rate <= 0) {
      clock.sleepUntil(end, this::stopped);
      return;
    }
    for (long i = 0; !stopped; i++) {
      long intended = start + i * 1_000_000_000L / rate;
      if (intended >= end) {
        return;
      }
      clock.sleepUntil(intended, this::stopped);
      if (stopped) {
        return;
      }
      List<PhoenixChannel> targets = joined;
      if (targets.isEmpty()) {
        continue; // nothing joined yet (during the ramp-up): the slot passes unsent
      }
      PhoenixChannel channel = targets.get((int) (i % targets.size()));
      Recorder latencies = intended < measureFrom ? warmUp : steady;
      sent.increment();
      try {
        channel.push(event, payload)
            .receive("ok", reply -> {
              latencies.recordValue(Math.max(0, clock.nanoTime() - intended));
              ok.increment();
            })
            .receive("error", reply -> errorReplies.increment())
            .receive("failed", reply -> failures.increment())
            .receive("timeout", reply -> timeouts.increment());
      } catch (IllegalStateException e) {
        failures.increment(); // the channel closed meanwhile
      }
    }
  }

  /** Ends the run early (Ctrl-C, or nothing can join): opening and pushing return at once. */
  void stop() {
    stopped = true;
    clock.wakeUp();
  }

  private boolean stopped() {
    return stopped;
  }

  /** Whether the run stopped because no socket could connect or join. */
  boolean hopeless() {
    return hopeless;
  }

  /** The first failure to connect or join, in a sentence, if any. */
  Optional<String> firstFailure() {
    return Optional.ofNullable(firstFailure.get());
  }

  /** Closes every socket. */
  void closeAll() {
    List<PhoenixSocket> all;
    synchronized (opened) {
      all = new ArrayList<>(opened);
    }
    for (PhoenixSocket socket : all) {
      socket.disconnect();
    }
    for (PhoenixSocket socket : all) {
      socket.close();
    }
  }

  /**
   * The counters now, and the latencies recorded since the previous snapshot, both phases together (each phase is
   * also added to its total).
   */
  Snapshot snapshot() {
    Histogram interval;
    synchronized (steadyTotal) {
      Histogram warm = warmUp.getIntervalHistogram();
      Histogram measured = steady.getIntervalHistogram();
      warmUpTotal.add(warm);
      steadyTotal.add(measured);
      interval = measured.copy();
      interval.add(warm);
    }
    return new Snapshot(connected.get(), joined.size(), sent.sum(), ok.sum(), errorReplies.sum(), timeouts.sum(),
        failures.sum(), interval);
  }

  /** The latencies of the steady state so far (pushes due from the start of the measurement), in nanoseconds. */
  Histogram steady() {
    synchronized (steadyTotal) {
      return steadyTotal.copy();
    }
  }

  /** The latencies of the pushes due during the ramp-up and the warm-up so far, in nanoseconds. */
  Histogram warmUp() {
    synchronized (steadyTotal) {
      return warmUpTotal.copy();
    }
  }

  private void channelFailed(SocketFate fate, String topic, String why) {
    // A refused join may be retried and refused again: each topic counts once.
    if (fate.failedTopics.add(topic) && fate.failedTopics.size() >= topics.size()) {
      failed(fate, why);
    } else {
      firstFailure.compareAndSet(null, why);
    }
  }

  private void failed(SocketFate fate, String why) {
    firstFailure.compareAndSet(null, why);
    if (fate.failed.compareAndSet(false, true) && failedSockets.incrementAndGet() >= started.get()
        && joined.isEmpty()) {
      hopeless = true;
      stop();
    }
  }

  /** What became of one socket: whether it ever opened, and whether it failed (to connect, or every join). */
  private static final class SocketFate {
    final AtomicBoolean opened = new AtomicBoolean();
    final AtomicBoolean failed = new AtomicBoolean();
    final Set<String> failedTopics = ConcurrentHashMap.newKeySet();
  }

  /**
   * The state of a run at one moment.
   *
   * @param connected sockets that opened (reconnects count again)
   * @param joined channels joined
   * @param sent pushes sent
   * @param ok ok replies
   * @param errorReplies error replies
   * @param timeouts pushes without a reply in time
   * @param failures connections and joins that failed, and pushes this client could not send
   * @param interval the latencies since the previous snapshot, warm-up and steady state together, in nanoseconds
   */
  record Snapshot(int connected, int joined, long sent, long ok, long errorReplies, long timeouts, long failures,
      Histogram interval) {
    long errors() {
      return errorReplies + timeouts + failures;
    }
  }
}
