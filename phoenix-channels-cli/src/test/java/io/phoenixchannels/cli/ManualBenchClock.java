package io.phoenixchannels.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A {@link BenchClock} that stands still until the test moves it: sleepers wake when {@link #advanceTo} passes their
 * deadline (or when their condition holds after a {@link #wakeUp()}), and {@link #isSleepingUntil} lets a test wait until a thread has reached a
 * given point of its schedule.
 */
final class ManualBenchClock implements BenchClock {
  private final List<Long> sleeping = new ArrayList<>();
  private long now;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized void sleepUntil(long deadline, BooleanSupplier stop) throws InterruptedException {
    sleeping.add(deadline);
    try {
      while (now < deadline && !stop.getAsBoolean()) {
        wait();
      }
    } finally {
      sleeping.remove(Long.valueOf(deadline));
    }
  }

  @Override
  public synchronized void wakeUp() {
    notifyAll();
  }

  /** Moves the time to {@code nanos}, waking whoever sleeps until then. */
  synchronized void advanceTo(long nanos) {
    now = nanos;
    notifyAll();
  }

  /** Whether a thread is sleeping until exactly {@code deadline}. */
  synchronized boolean isSleepingUntil(long deadline) {
    return sleeping.contains(deadline);
  }
}
