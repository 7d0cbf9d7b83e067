package io.phoenixchannels.benchmarks.workloads;

import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How much a counter grew over a measured window that follows a warm-up, and the process CPU time the window cost:
 * the throughput workloads' one way of measuring.
 *
 * @param count the counter's growth over the window
 * @param seconds the window's length
 * @param cpuNanos the process CPU time spent in the window
 */
record MeasuredWindow(long count, double seconds, long cpuNanos) {

  /**
   * Waits out the warm-up (a time, or a number of operations), then samples the counter, the CPU time and the clock
   * around the measured window (a time, or a number of operations).
   */
  static MeasuredWindow of(LongSupplier counter, WorkloadOptions options) {
    long deadline = System.nanoTime() + options.deadline().toNanos();
    if (options.warmupOps() >= 0) {
      awaitCount(counter, options.warmupOps(), deadline);
    } else {
      ProcessMetrics.sleepMillis(options.warmup().toMillis());
    }
    long count0 = counter.getAsLong();
    long cpu0 = ProcessMetrics.cpuNanos();
    long t0 = System.nanoTime();
    if (options.measureOps() > 0) {
      awaitCount(counter, count0 + options.measureOps(), deadline + options.deadline().toNanos());
    } else {
      ProcessMetrics.sleepMillis(options.measure().toMillis());
    }
    long count1 = counter.getAsLong();
    long cpu1 = ProcessMetrics.cpuNanos();
    long t1 = System.nanoTime();
    return new MeasuredWindow(count1 - count0, (t1 - t0) / 1e9, cpu1 - cpu0);
  }

  /** Polls the counter until it reaches a value, or the deadline passes (the result then shows the shortfall). */
  private static void awaitCount(LongSupplier counter, long target, long deadlineNanos) {
    while (counter.getAsLong() < target && System.nanoTime() < deadlineNanos) {
      ProcessMetrics.sleepMillis(2);
    }
  }

  /** Adds the count under its name, then seconds, operations per second, CPU µs per operation and CPU cores. */
  void putInto(Map<String, Object> result, String countName) {
    result.put(countName, count);
    result.put("seconds", seconds);
    result.put("ops_per_sec", count / seconds);
    result.put("cpu_us_per_op", count == 0 ? null : cpuNanos / 1e3 / count);
    result.put("cpu_cores", cpuNanos / 1e9 / seconds);
  }
}
