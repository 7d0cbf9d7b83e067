package io.phoenixchannels.internal;

import io.phoenixchannels.EventLoop;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Runs a callback after a delay computed from the number of tries so far, counting tries until {@link #reset()}:
 * the reconnect and rejoin backoff. Used on the loop only.
 */
public final class RetryTimer {
  private final EventLoop loop;
  private final Runnable callback;
  private EventLoop.Cancellable scheduled;
  private int tries;

  public RetryTimer(EventLoop loop, Runnable callback) {
    this.loop = loop;
    this.callback = callback;
  }

  /** Forgets the tries and cancels a pending run. */
  public void reset() {
    tries = 0;
    cancel();
  }

  /**
   * Replaces a pending run by one after {@code delayForAttempt.apply(tries + 1)}.
   *
   * @return false, scheduling nothing, when the delay function gives up (returns empty)
   */
  public boolean schedule(IntFunction<Optional<Duration>> delayForAttempt) {
    cancel();
    Optional<Duration> delay = delayForAttempt.apply(tries + 1);
    if (!delay.isPresent()) {
      return false;
    }
    scheduled = loop.schedule(() -> {
      scheduled = null;
      tries++;
      callback.run();
    }, delay.get());
    return true;
  }

  /** The number of runs since the last reset. */
  public int tries() {
    return tries;
  }

  private void cancel() {
    if (scheduled != null) {
      scheduled.cancel();
      scheduled = null;
    }
  }
}
