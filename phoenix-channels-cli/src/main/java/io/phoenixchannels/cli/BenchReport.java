package io.phoenixchannels.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What {@code phx bench} prints: a progress line every second (rewritten in place on a terminal) and, at the end,
 * the counts and an HdrHistogram percentile table of the latencies; with {@code --json}, the same as JSON lines
 * ({@code {"type":"progress",...}} and one {@code {"type":"result",...}}).
 */
final class BenchReport {
  private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

  private final PrintStream out;
  private final boolean json;
  private final boolean inPlace;

  /**
   * @param out where to print
   * @param json JSON lines instead of text
   * @param inPlace rewrite the progress line in place (a terminal)
   */
  BenchReport(PrintStream out, boolean json, boolean inPlace) {
    this.out = out;
    this.json = json;
    this.inPlace = inPlace;
  }

  /** Starts the thread that prints the progress every second until it is interrupted. */
  Thread startProgress(LoadGenerator load, long started, int channels) {
    Thread thread = new Thread(() -> {
      long previousSent = 0;
      long next = started;
      try {
        while (!Thread.currentThread().isInterrupted()) {
          next += 1_000_000_000L;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          LoadGenerator.Snapshot now = load.snapshot();
          progress(now, load.total(), (System.nanoTime() - started) / 1e9, now.sent() - previousSent, channels);
          previousSent = now.sent();
        }
      } catch (InterruptedException e) {
        // The run ended.
      }
    }, "phx-bench-progress");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Waits until every push sent has its outcome, at most the push timeout and a second. */
  void awaitOutstanding(LoadGenerator load, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos() + 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      LoadGenerator.Snapshot now = load.snapshot();
      if (now.ok() + now.errorReplies() + now.timeouts() >= now.sent()) {
        return;
      }
      Thread.sleep(10);
    }
  }

  private synchronized void progress(LoadGenerator.Snapshot now, Histogram soFar, double elapsed, long sentInSecond,
      int channels) {
    Double p99 = soFar.getTotalCount() == 0 ? null : millis(soFar.getValueAtPercentile(99));
    if (json) {
      ObjectNode line = Json.MAPPER.createObjectNode()
          .put("type", "progress")
          .put("elapsed_s", round(elapsed))
          .put("connected", now.connected())
          .put("joined", now.joined())
          .put("channels", channels)
          .put("pushes_per_s", sentInSecond)
          .put("errors", now.errors());
      line.put("p99_ms", p99);
      out.println(line);
      return;
    }
    String text = String.format(Locale.ROOT, "%6.1fs  connected %d  joined %d/%d  pushes/s %d  errors %d  p99 %s",
        elapsed, now.connected(), now.joined(), channels, sentInSecond, now.errors(),
        p99 == null ? "-" : String.format(Locale.ROOT, "%.2f ms", p99));
    if (inPlace) {
      out.print("\r\u001b[2K" + text);
      out.flush();
    } else {
      out.println(text);
    }
  }

  /** Prints the final counts and the percentile table. */
  synchronized void result(LoadGenerator.Snapshot last, Histogram latencies, double elapsed, int channels) {
    if (json) {
      ObjectNode line = Json.MAPPER.createObjectNode()
          .put("type", "result")
          .put("elapsed_s", round(elapsed))
          .put("channels", channels)
          .put("joined", last.joined())
          .put("connected", last.connected())
          .put("sent", last.sent())
          .put("ok", last.ok())
          .put("error_replies", last.errorReplies())
          .put("timeouts", last.timeouts())
          .put("failures", last.failures());
      ObjectNode latency = line.putObject("latency_ms").put("count", latencies.getTotalCount());
      if (latencies.getTotalCount() > 0) {
        for (double percentile : PERCENTILES) {
          latency.put("p" + label(percentile).replace('.', '_'), millis(latencies.getValueAtPercentile(percentile)));
        }
        latency.put("max", millis(latencies.getMaxValue()));
      }
      out.println(line);
      return;
    }
    if (inPlace) {
      out.println();
    }
    out.printf(Locale.ROOT, "%d of %d channels joined (%d socket opens); %d pushes in %.1f s: %d ok, %d error "
            + "replies, %d timeouts, %d failures%n", last.joined(), channels, last.connected(), last.sent(), elapsed,
        last.ok(), last.errorReplies(), last.timeouts(), last.failures());
    if (latencies.getTotalCount() == 0) {
      out.println("no ok reply: no latency to show");
      return;
    }
    out.println("push→reply latency from the due time (ms):");
    for (double percentile : PERCENTILES) {
      out.printf(Locale.ROOT, "  p%-7s %10.3f%n", label(percentile), millis(latencies.getValueAtPercentile(percentile)));
    }
    out.printf(Locale.ROOT, "  %-8s %10.3f%n", "max", millis(latencies.getMaxValue()));
  }

  private static String label(double percentile) {
    return percentile == Math.rint(percentile) ? String.valueOf((long) percentile) : String.valueOf(percentile);
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}
