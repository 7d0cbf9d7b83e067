package io.phoenixchannels.cli;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

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
   * Waits until {@link #nanoTime()} reaches {@code deadline}, or until {@link #wakeUp()} is called.
   *
   * @param deadline the time to wait for
   * @throws InterruptedException if the waiting thread is interrupted
   */
  void sleepUntil(long deadline) throws InterruptedException;

  /** Ends every {@link #sleepUntil} in progress at once: the run is stopping. */
  void wakeUp();

  /**
   * Returns the real clock.
   *
   * @return a clock on {@link System#nanoTime()} that parks its sleepers to their deadline
   */
  static BenchClock system() {
    return new BenchClock() {
      private final Set<Thread> sleepers = ConcurrentHashMap.newKeySet();
      private final AtomicLong wakeUps = new AtomicLong();

      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void sleepUntil(long deadline) throws InterruptedException {
        long seen = wakeUps.get();
        sleepers.add(Thread.currentThread());
        try {
          // parkNanos rather than Thread.sleep: pushes fall due every half millisecond at 2,000 per second.
          for (long now = System.nanoTime(); now < deadline && wakeUps.get() == seen; now = System.nanoTime()) {
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
        wakeUps.incrementAndGet();
        sleepers.forEach(LockSupport::unpark);
      }
    };
  }
}
