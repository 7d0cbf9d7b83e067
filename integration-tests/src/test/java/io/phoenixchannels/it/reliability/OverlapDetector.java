package io.phoenixchannels.it.reliability;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Watches callbacks that must never run at the same time (the callbacks of one socket): each wrapped callback
 * counts itself in on entry and out on exit, and an entry while another is inside is an overlap. Also records which
 * threads ran them. Thread-safe.
 */
final class OverlapDetector {
  private final AtomicInteger inside = new AtomicInteger();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong overlaps = new AtomicLong();
  private final Set<String> threads = ConcurrentHashMap.newKeySet();

  <T> Consumer<T> wrap(Consumer<T> callback) {
    return value -> run(() -> callback.accept(value));
  }

  Runnable wrap(Runnable callback) {
    return () -> run(callback);
  }

  private void run(Runnable callback) {
    if (inside.incrementAndGet() > 1) {
      overlaps.incrementAndGet();
    }
    calls.incrementAndGet();
    threads.add(Thread.currentThread().getName());
    try {
      callback.run();
    } finally {
      inside.decrementAndGet();
    }
  }

  long calls() {
    return calls.get();
  }

  long overlaps() {
    return overlaps.get();
  }

  Set<String> threads() {
    return Set.copyOf(threads);
  }
}
