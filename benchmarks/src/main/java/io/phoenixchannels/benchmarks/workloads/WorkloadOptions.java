package io.phoenixchannels.benchmarks.workloads;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The knobs of the workloads, given to a client process as {@code key=value} arguments (the Node client reads the
 * same keys), with the comparison's defaults.
 */
public final class WorkloadOptions {
  private final Map<String, String> values = new HashMap<>();

  /**
   * @param args {@code key=value} pairs
   * @throws IllegalArgumentException for an argument without {@code =}
   */
  public WorkloadOptions(String[] args) {
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
      }
      values.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
  }

  /** Warm-up before measuring: JIT compilation, connection buffers, the server's own warm-up. */
  public Duration warmup() {
    return Duration.ofMillis(number("warmup_ms", 3000));
  }

  /**
   * A warm-up counted in operations instead of time (W1, W3): {@code warmup_ops=5000} measures a cold client, as an
   * application sees it after its first few thousand messages; -1 (the default) uses {@link #warmup()}.
   */
  public long warmupOps() {
    return number("warmup_ops", -1);
  }

  /** A measured interval counted in operations instead of time (W1, W3); -1 (the default) uses {@link #measure()}. */
  public long measureOps() {
    return number("measure_ops", -1);
  }

  /** The measured interval of the throughput workloads (W1, W3). */
  public Duration measure() {
    return Duration.ofMillis(number("measure_ms", 5000));
  }

  /** The measured interval of the latency workload (W2): 10 s at 2,000/s gives 20 samples beyond p99.9. */
  public Duration latencyMeasure() {
    return Duration.ofMillis(number("latency_measure_ms", 10000));
  }

  /** W2's burst of pipelined pushes before pacing starts, so that the JIT has compiled the path. */
  public Duration burst() {
    return Duration.ofMillis(number("burst_ms", 2000));
  }

  /** Sockets of W1 (1 or 4) and of W4 (10,000). */
  public int sockets(int defaultValue) {
    return (int) number("sockets", defaultValue);
  }

  /** Pushes kept in flight per socket in W1. */
  public int inFlight() {
    return (int) number("in_flight", 100);
  }

  /** Pushes per second in W2. */
  public int rate() {
    return (int) number("rate", 2000);
  }

  /** Ticks the server sends per {@code start_ticks} in W3. */
  public int tickBatch() {
    return (int) number("tick_batch", 1000);
  }

  /** How long W4 waits for all joins, and then for the broadcast to reach everyone. */
  public Duration deadline() {
    return Duration.ofMillis(number("deadline_ms", 60000));
  }

  /**
   * Users of a crowd run first in a room of its own and left behind before the measured crowd joins: 0 measures
   * a cold process (JIT compilation included), more measures one that has run a crowd before.
   */
  public int warmupUsers() {
    return (int) number("warmup_users", 0);
  }

  private long number(String key, long defaultValue) {
    String value = values.get(key);
    return value == null ? defaultValue : Long.parseLong(value);
  }
}
