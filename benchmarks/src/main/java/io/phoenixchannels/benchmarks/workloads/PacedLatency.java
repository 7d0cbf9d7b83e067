package io.phoenixchannels.benchmarks.workloads;

import io.phoenixchannels.benchmarks.clients.BenchChannel;
import io.phoenixchannels.benchmarks.clients.BenchClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * W2: push→reply latency at a fixed rate, without coordinated omission. Push {@code i} is due at
 * {@code start + i / rate}; a sender thread sends it then (or at once, if it is late) and the latency is measured
 * from that intended time, so a stall of the client delays every push due meanwhile and shows in the percentiles.
 * The latency from the actual send is recorded too, to tell the client's latency from the sender's own lateness.
 */
final class PacedLatency implements Workload {

  @Override
  public Map<String, Object> run(BenchClient client, String url, WorkloadOptions options) throws Exception {
    BenchChannel channel = Joins.joinOne(client, url, "room:bench-w2", Payloads.JOIN);
    warmUpInBursts(channel, options);
    long period = 1_000_000_000L / options.rate();
    Recorder fromIntended = new Recorder(3);
    Recorder fromSent = new Recorder(3);
    LongAdder replied = new LongAdder();

    long start = System.nanoTime() + 10_000_000L;
    long recordFrom = start + options.warmup().toNanos();
    long end = recordFrom + options.latencyMeasure().toNanos();
    long cpu0 = 0;
    long measured = 0;
    boolean measuring = false;
    for (long i = 0; ; i++) {
      long intended = start + i * period;
      if (intended >= end) {
        break;
      }
      if (!measuring && intended >= recordFrom) {
        measuring = true;
        fromIntended.reset();
        fromSent.reset();
        cpu0 = ProcessMetrics.cpuNanos();
      }
      for (long now = System.nanoTime(); now < intended; now = System.nanoTime()) {
        LockSupport.parkNanos(intended - now);
      }
      long sent = System.nanoTime();
      boolean record = measuring;
      if (record) {
        measured++;
      }
      channel.push("echo", Payloads.ECHO, () -> {
        long now = System.nanoTime();
        if (record) {
          fromIntended.recordValue(now - intended);
          fromSent.recordValue(now - sent);
          replied.increment();
        }
      });
    }
    // Give the last replies up to a second.
    long waitUntil = System.nanoTime() + 1_000_000_000L;
    while (replied.sum() < measured && System.nanoTime() < waitUntil) {
      ProcessMetrics.sleepMillis(5);
    }
    long cpu1 = ProcessMetrics.cpuNanos();
    Histogram intendedHistogram = fromIntended.getIntervalHistogram();
    Histogram sentHistogram = fromSent.getIntervalHistogram();

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("rate", options.rate());
    result.put("pushes", measured);
    result.put("replies", replied.sum());
    result.put("p50_ms", millis(intendedHistogram.getValueAtPercentile(50)));
    result.put("p99_ms", millis(intendedHistogram.getValueAtPercentile(99)));
    result.put("p999_ms", millis(intendedHistogram.getValueAtPercentile(99.9)));
    result.put("max_ms", millis(intendedHistogram.getMaxValue()));
    result.put("sent_p99_ms", millis(sentHistogram.getValueAtPercentile(99)));
    result.put("cpu_us_per_op", measured == 0 ? null : (cpu1 - cpu0) / 1e3 / measured);
    return result;
  }

  /**
   * Pipelines echo pushes for {@code burst_ms} before pacing starts, then waits for their replies. At 2,000 pushes
   * a second the JIT would still be compiling the client's path during the measurement (a C2 thread was seen
   * taking a tenth of a core, and the tails with it); a burst compiles it first, for every client alike.
   */
  private static void warmUpInBursts(BenchChannel channel, WorkloadOptions options) {
    LongAdder replies = new LongAdder();
    long sent = 0;
    long end = System.nanoTime() + options.burst().toNanos();
    while (System.nanoTime() < end) {
      if (sent - replies.sum() < 50) {
        sent++;
        channel.push("echo", Payloads.ECHO, replies::increment);
      } else {
        Thread.onSpinWait();
      }
    }
    long waitUntil = System.nanoTime() + 2_000_000_000L;
    while (replies.sum() < sent && System.nanoTime() < waitUntil) {
      ProcessMetrics.sleepMillis(1);
    }
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
