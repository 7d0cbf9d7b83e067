package io.phoenixchannels.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What {@code phx bench} runs: sockets opened evenly over the ramp-up, each joining its channels, then pushes at a
 * fixed total rate spread round robin over the joined channels. Push {@code i} is due at {@code start + i / rate};
 * its latency runs from that moment to its reply, so a server (or client) that stalls is charged for every push
 * that was due meanwhile (no coordinated omission).
 */
final class LoadGenerator {
  private final Supplier<PhoenixSocket> sockets;
  private final List<String> topics;
  private final JsonNode joinParams;
  private final String event;
  private final JsonNode payload;
  private final List<PhoenixSocket> opened = new ArrayList<>();
  private final List<PhoenixChannel> joined = new CopyOnWriteArrayList<>();
  private final AtomicInteger connected = new AtomicInteger();
  private final LongAdder sent = new LongAdder();
  private final LongAdder ok = new LongAdder();
  private final LongAdder errorReplies = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final Recorder latencies = new Recorder(3);
  private final Histogram total = new Histogram(3);
  private volatile boolean stopped;

  /**
   * @param sockets makes the next socket, not yet connected
   * @param topics the topics every socket joins
   * @param joinParams the join params
   * @param event the event pushed
   * @param payload its payload
   */
  LoadGenerator(Supplier<PhoenixSocket> sockets, List<String> topics, JsonNode joinParams, String event,
      JsonNode payload) {
    this.sockets = sockets;
    this.topics = topics;
    this.joinParams = joinParams;
    this.event = event;
    this.payload = payload;
  }

  /** Opens {@code count} sockets evenly over {@code rampUp}; returns when the last one was started. */
  void open(int count, Duration rampUp) throws InterruptedException {
    long start = System.nanoTime();
    for (int i = 0; i < count && !stopped; i++) {
      sleepUntil(start + rampUp.toNanos() * i / count);
      PhoenixSocket socket = sockets.get();
      socket.onOpen(connected::incrementAndGet);
      socket.onError(error -> failures.increment());
      for (String topic : topics) {
        PhoenixChannel channel = socket.channel(topic, joinParams);
        channel.join()
            .receive("ok", reply -> joined.add(channel))
            .receive("error", reply -> failures.increment())
            .receive("timeout", reply -> failures.increment());
      }
      socket.connect();
      synchronized (opened) {
        opened.add(socket);
      }
    }
  }

  /** Pushes at {@code rate} per second over the joined channels until {@code end} (nanoTime) or {@link #stop()}. */
  void push(int rate, long end) throws InterruptedException {
    if (rate <= 0) {
      sleepUntil(end);
      return;
    }
    long period = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (long i = 0; !stopped; i++) {
      long intended = start + i * period;
      if (intended >= end) {
        return;
      }
      sleepUntil(intended);
      List<PhoenixChannel> targets = joined;
      if (targets.isEmpty()) {
        continue; // nothing joined yet (during the ramp-up): the slot passes unsent
      }
      PhoenixChannel channel = targets.get((int) (i % targets.size()));
      sent.increment();
      try {
        channel.push(event, payload)
            .receive("ok", reply -> {
              latencies.recordValue(System.nanoTime() - intended);
              ok.increment();
            })
            .receive("error", reply -> {
              if (reply.failure().isPresent()) {
                failures.increment();
              } else {
                errorReplies.increment();
              }
            })
            .receive("timeout", reply -> timeouts.increment());
      } catch (IllegalStateException e) {
        failures.increment(); // the channel closed meanwhile
      }
    }
  }

  /** Ends the pushing early (Ctrl-C). */
  void stop() {
    stopped = true;
  }

  boolean stopped() {
    return stopped;
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

  /** The counters now, and the latencies recorded since the previous snapshot (added to the total). */
  Snapshot snapshot() {
    Histogram interval = latencies.getIntervalHistogram();
    synchronized (total) {
      total.add(interval);
    }
    return new Snapshot(connected.get(), joined.size(), sent.sum(), ok.sum(), errorReplies.sum(), timeouts.sum(),
        failures.sum(), interval);
  }

  /** The latencies of the whole run so far, in nanoseconds. */
  Histogram total() {
    synchronized (total) {
      return total.copy();
    }
  }

  private void sleepUntil(long deadline) throws InterruptedException {
    for (long now = System.nanoTime(); now < deadline && !stopped; now = System.nanoTime()) {
      LockSupport.parkNanos(Math.min(deadline - now, 100_000_000L));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
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
   * @param interval the latencies since the previous snapshot, in nanoseconds
   */
  record Snapshot(int connected, int joined, long sent, long ok, long errorReplies, long timeouts, long failures,
      Histogram interval) {
    long errors() {
      return errorReplies + timeouts + failures;
    }
  }
}
