package io.phoenixchannels.it.reliability;

import static org.awaitility.Awaitility.await;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.Push;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A thread that pushes {@code echo} to a set of channels, round robin, while a scenario injects faults: a bounded
 * number of pushes, at most {@code inFlight} of them without an outcome at any time (so the pace is the
 * round trip's, and a fault stalls it until the pushes in flight time out or are answered). Each push carries its
 * ledger id as {@code {"id": n}}.
 */
final class SteadyPusher {
  private final List<PhoenixChannel> channels;
  private final int total;
  private final Duration pushTimeout;
  private final Semaphore slots;
  private final PushLedger ledger;
  private final AtomicInteger pushed = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean stopped;

  SteadyPusher(List<PhoenixChannel> channels, int total, int inFlight, Duration pushTimeout) {
    this.channels = List.copyOf(channels);
    this.total = total;
    this.pushTimeout = pushTimeout;
    this.slots = new Semaphore(inFlight);
    this.ledger = new PushLedger(reply -> slots.release());
    this.thread = new Thread(this::run, "steady-pusher");
    this.thread.setDaemon(true);
  }

  SteadyPusher start() {
    thread.start();
    return this;
  }

  PushLedger ledger() {
    return ledger;
  }

  int pushed() {
    return pushed.get();
  }

  /** Waits until at least {@code count} pushes were made. */
  void awaitPushed(int count, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(2))
        .until(() -> pushed.get() >= count || failure.get() != null);
    rethrow();
  }

  /** Waits for the thread to make all its pushes (their outcomes may still be pending). */
  void awaitAllPushed(Duration atMost) throws InterruptedException {
    thread.join(atMost.toMillis());
    if (thread.isAlive()) {
      stopped = true;
      throw new AssertionError("the pusher made only " + pushed.get() + " of " + total + " pushes within "
          + atMost.toMillis() + " ms: " + ledger);
    }
    rethrow();
  }

  private void rethrow() {
    Throwable error = failure.get();
    if (error != null) {
      throw new AssertionError("the pusher failed", error);
    }
  }

  private void run() {
    try {
      for (int i = 0; i < total && !stopped; i++) {
        // Bounded: a push's timeout frees its slot, so this wait ends unless outcomes are lost.
        if (!slots.tryAcquire(pushTimeout.toMillis() * 3, TimeUnit.MILLISECONDS)) {
          throw new AssertionError("no push outcome for " + pushTimeout.toMillis() * 3 + " ms: " + ledger);
        }
        long id = ledger.nextId();
        Push push = channels.get(i % channels.size()).push("echo", Map.of("id", id), pushTimeout);
        ledger.track(id, push);
        pushed.incrementAndGet();
      }
    } catch (Throwable t) {
      failure.set(t);
    }
  }
}
