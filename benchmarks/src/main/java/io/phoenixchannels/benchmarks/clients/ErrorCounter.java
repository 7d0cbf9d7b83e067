package io.phoenixchannels.benchmarks.clients;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counts a client's failures and keeps the first one's description. */
final class ErrorCounter {
  private final AtomicLong count = new AtomicLong();
  private final AtomicReference<String> first = new AtomicReference<>();

  void add(Object what) {
    count.incrementAndGet();
    if (first.get() == null) {
      first.compareAndSet(null, String.valueOf(what));
    }
  }

  long count() {
    return count.get();
  }

  String first() {
    return first.get();
  }
}
