package io.phoenixchannels.cli;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Waits, with a deadline, until something the socket callbacks change holds: every client joined, everyone sees
 * three online, the broadcast reached them all. Callbacks {@link #signal()} after each change; nothing polls or
 * sleeps.
 */
final class Conditions {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  /** Wakes the waiters to check again; call after changing what they check. */
  void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until a condition holds.
   *
   * @param what what is awaited, for the failure message
   * @throws DemoStepFailed if it does not hold within the timeout
   * @throws InterruptedException if interrupted while waiting
   */
  void await(String what, BooleanSupplier holds, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (!holds.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new DemoStepFailed(what + " did not happen within " + timeout.toMillis() + " ms");
        }
        changed.await(left, TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }
}
