package io.phoenixchannels.it.reliability;

import static org.awaitility.Awaitility.await;

import io.phoenixchannels.Push;
import io.phoenixchannels.Reply;
import io.phoenixchannels.testing.ScenarioFigures;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Every push a scenario makes and every outcome its caller hears: {@code ok} or {@code error} from the server
 * (acknowledged), {@code timeout}, or a client-side failure (an {@code error} reply with a
 * {@link Reply#failure()}). A push with no outcome at the end is lost; one with two is duplicated. Each push gets
 * an id that the scenario puts in its payload, so the server side can count deliveries too. Thread-safe.
 */
final class PushLedger {
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, AtomicInteger> outcomes = new ConcurrentHashMap<>();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong duplicated = new AtomicLong();
  private final AtomicLong settled = new AtomicLong();
  private final Consumer<Reply> onFirstOutcome;
  private final OverlapDetector callbacks;

  PushLedger() {
    this(reply -> { });
  }

  /**
   * @param onFirstOutcome runs once per push, on the socket's callback executor, when its outcome arrives (to
   *     release a slot of an in-flight limit, for example)
   */
  PushLedger(Consumer<Reply> onFirstOutcome) {
    this(onFirstOutcome, new OverlapDetector());
  }

  /**
   * @param onFirstOutcome as above
   * @param callbacks watches the outcome callbacks, with the socket's other callbacks, for overlaps
   */
  PushLedger(Consumer<Reply> onFirstOutcome, OverlapDetector callbacks) {
    this.onFirstOutcome = onFirstOutcome;
    this.callbacks = callbacks;
  }

  /** The id for the next push, to put in its payload. */
  long nextId() {
    return ids.incrementAndGet();
  }

  /** Watches the outcomes of a push made with {@code id}. */
  void track(long id, Push push) {
    AtomicInteger count = new AtomicInteger();
    if (outcomes.putIfAbsent(id, count) != null) {
      throw new IllegalArgumentException("push id " + id + " tracked twice");
    }
    Consumer<Reply> outcome = callbacks.wrap(reply -> outcome(count, reply));
    push.receive(Reply.OK, outcome).receive(Reply.ERROR, outcome).receive(Reply.TIMEOUT, outcome)
        .receive(Reply.FAILED, outcome);
  }

  private void outcome(AtomicInteger count, Reply reply) {
    if (count.incrementAndGet() > 1) {
      duplicated.incrementAndGet();
      return;
    }
    switch (reply.status()) {
      case Reply.TIMEOUT -> timedOut.incrementAndGet();
      case Reply.FAILED -> failed.incrementAndGet();
      default -> acknowledged.incrementAndGet();
    }
    settled.incrementAndGet();
    onFirstOutcome.accept(reply);
  }

  long sent() {
    return outcomes.size();
  }

  long acknowledged() {
    return acknowledged.get();
  }

  long timedOut() {
    return timedOut.get();
  }

  long failed() {
    return failed.get();
  }

  long duplicated() {
    return duplicated.get();
  }

  /** Pushes that have had no outcome yet. */
  long pending() {
    return outcomes.size() - settled.get();
  }

  /**
   * Waits until every push has had its outcome, which the pushes' timeouts bound.
   *
   * @param atMost longer than the longest push timeout
   * @return the pushes still without an outcome after that: lost
   */
  long awaitSettled(Duration atMost) {
    try {
      await().atMost(atMost).pollInterval(Duration.ofMillis(10)).until(() -> pending() == 0);
    } catch (ConditionTimeoutException e) {
      return pending();
    }
    return 0;
  }

  /** Adds this ledger's counts to a scenario's figures; {@code lost} is what {@link #awaitSettled} returned. */
  void addTo(ScenarioFigures figures, long lost) {
    figures.operations(sent()).acknowledged(acknowledged()).timedOut(timedOut()).failed(failed()).lost(lost)
        .duplicated(duplicated());
  }

  @Override
  public String toString() {
    return "PushLedger{sent=" + sent() + ", acknowledged=" + acknowledged() + ", timedOut=" + timedOut()
        + ", failed=" + failed() + ", pending=" + pending() + ", duplicated=" + duplicated() + "}";
  }
}
