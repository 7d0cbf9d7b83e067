package io.phoenixchannels.cli;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The time of {@code phx bench}: when each push falls due, when a reply arrived, when the next progress line is
 * printed. {@link #system()} is the real clock; a test drives a manual one, so that what a run measures does not
 * depend on how busy the machine is.
 */
interface BenchClock {
  /**
   * Returns the time now.
   *
   * @return nanoseconds, on an arbitrary origin (as {@link System#nanoTime()})
   */
  long nanoTime();

  /**
   * Waits until {@link #nanoTime()} reaches {@code deadline}, or until {@code stop} holds. The condition is checked
   * after the sleeper is registered, so a {@link #wakeUp()} that follows a change of the condition is never missed.
   *
   * @param deadline the time to wait for
   * @param stop ends the wait early once true; see {@link #wakeUp()}
   * @throws InterruptedException if the waiting thread is interrupted
   */
  void sleepUntil(long deadline, BooleanSupplier stop) throws InterruptedException;

  /** Makes every {@link #sleepUntil} in progress check its condition again: call it after changing one. */
  void wakeUp();

  /**
   * Returns the real clock.
   *
   * @return a clock on {@link System#nanoTime()} that parks its sleepers to their deadline
   */
  static BenchClock system() {
    return new BenchClock() {
      private final Set<Thread> sleepers = ConcurrentHashMap.newKeySet();

      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void sleepUntil(long deadline, BooleanSupplier stop) throws InterruptedException {
        sleepers.add(Thread.currentThread());
        try {
          // parkNanos rather than Thread.sleep: pushes fall due every half millisecond at 2,000 per second.
          for (long now = System.nanoTime(); now < deadline && !stop.getAsBoolean(); now = System.nanoTime()) {
            LockSupport.parkNanos(this, deadline - now);
            if (Thread.interrupted()) {
              throw new InterruptedException();
            }
          }
        } finally {
          sleepers.remove(Thread.currentThread());
        }
      }

      @Override
      public void wakeUp() {
        sleepers.forEach(LockSupport::unpark);
      }
    };
  }
}
