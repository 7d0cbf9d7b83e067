package io.phoenixchannels.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * What {@code phx bench} prints: a line saying what runs, a progress line every second (rewritten in place on a
 * terminal) and, at the end, the counts and an HdrHistogram percentile table of the steady state's latencies, with
 * the ramp-up's apart; with {@code --json}, the progress and the result as JSON lines
 * ({@code {"type":"progress",...}} and one {@code {"type":"result",...}}).
 *
 * <p>Each progress line's p99 is that second's own (the replies since the previous line), so a stall shows when it
 * happens and a recovery as soon as it comes, rather than a cumulative figure that only creeps.
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

  /** Says what is about to run (text only: the JSON result carries the same). */
  synchronized void begin(String what) {
    if (!json) {
      out.println(what);
    }
  }

  /**
   * Starts the thread that prints the progress every second of the clock until it is interrupted.
   *
   * @param started when the run started (the clock's nanoseconds)
   * @param rampUpEnd when the ramp-up ends, the same way
   * @param measureFrom when the steady state starts (after the warm-up), the same way
   */
  Thread startProgress(LoadGenerator load, BenchClock clock, long started, long rampUpEnd, long measureFrom,
      int channels) {
    Thread thread = new Thread(() -> {
      long previousSent = 0;
      long next = started;
      try {
        while (!Thread.currentThread().isInterrupted()) {
          next += 1_000_000_000L;
          clock.sleepUntil(next, () -> false); // until interrupted at the end of the run
          long now = clock.nanoTime();
          LoadGenerator.Snapshot snapshot = load.snapshot();
          String phase = next <= rampUpEnd ? "ramp-up" : next <= measureFrom ? "warm-up" : "steady";
          progress(snapshot, phase, (now - started) / 1e9, snapshot.sent() - previousSent, channels);
          previousSent = snapshot.sent();
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

  /**
   * Prints one progress line.
   *
   * @param now the counters, and the latencies of the replies since the previous line
   * @param phase {@code ramp-up}, {@code warm-up} or {@code steady}
   * @param elapsed seconds since the start
   * @param sentInSecond pushes sent since the previous line
   * @param channels channels the run joins in all
   */
  synchronized void progress(LoadGenerator.Snapshot now, String phase, double elapsed, long sentInSecond,
      int channels) {
    Histogram second = now.interval();
    Double p99 = second.getTotalCount() == 0 ? null : millis(second.getValueAtPercentile(99));
    if (json) {
      ObjectNode line = Json.MAPPER.createObjectNode()
          .put("type", "progress")
          .put("elapsed_s", round(elapsed))
          .put("phase", phase)
          .put("connected", now.connected())
          .put("joined", now.joined())
          .put("channels", channels)
          .put("pushes_per_s", sentInSecond)
          .put("errors", now.errors());
      line.put("p99_ms", p99);
      out.println(line);
      return;
    }
    String text = String.format(Locale.ROOT,
        "%6.1fs  %-7s  connected %d  joined %d/%d  pushes/s %d  errors %d  p99 %s",
        elapsed, phase, now.connected(), now.joined(), channels, sentInSecond, now.errors(),
        p99 == null ? "-" : String.format(Locale.ROOT, "%.2f ms", p99));
    if (inPlace) {
      out.print("\r\u001b[2K" + text);
      out.flush();
    } else {
      out.println(text);
    }
  }

  /**
   * Prints the final counts and the percentile tables.
   *
   * @param last the counters at the end
   * @param steady the latencies of the pushes due in the steady state
   * @param warmUp the latencies of the pushes due before it
   * @param excluded what came before the steady state, for the reader ({@code the 3.0 s ramp-up}), or empty when
   *     nothing did
   * @param elapsed seconds the run took
   * @param channels channels the run joins in all
   * @param io how the sockets do their I/O ({@code epoll}, {@code nio}, {@code long-poll})
   * @param firstFailure the first failure to connect or join, if any
   */
  synchronized void result(LoadGenerator.Snapshot last, Histogram steady, Histogram warmUp, String excluded,
      double elapsed, int channels, String io, Optional<String> firstFailure) {
    if (json) {
      ObjectNode line = Json.MAPPER.createObjectNode()
          .put("type", "result")
          .put("elapsed_s", round(elapsed))
          .put("io", io)
          .put("channels", channels)
          .put("joined", last.joined())
          .put("connected", last.connected())
          .put("sent", last.sent())
          .put("ok", last.ok())
          .put("error_replies", last.errorReplies())
          .put("timeouts", last.timeouts())
          .put("failures", last.failures());
      firstFailure.ifPresent(failure -> line.put("first_failure", failure));
      percentiles(line.putObject("latency_ms"), steady, PERCENTILES);
      percentiles(line.putObject("warmup_latency_ms"), warmUp, new double[] {50, 99});
      out.println(line);
      return;
    }
    if (inPlace) {
      out.println();
    }
    out.printf(Locale.ROOT, "%d of %d channels joined (%d socket opens); %d pushes in %.1f s: %d ok, %d error "
            + "replies, %d timeouts, %d failures%n", last.joined(), channels, last.connected(), last.sent(), elapsed,
        last.ok(), last.errorReplies(), last.timeouts(), last.failures());
    firstFailure.ifPresent(failure -> out.println("first failure: " + failure));
    if (!excluded.isEmpty() && warmUp.getTotalCount() > 0) {
      out.printf(Locale.ROOT, "%d replies to pushes due during %s, not counted below: p50 %.3f ms, p99 %.3f ms, "
              + "max %.3f ms%n", warmUp.getTotalCount(), excluded, millis(warmUp.getValueAtPercentile(50)),
          millis(warmUp.getValueAtPercentile(99)), millis(warmUp.getMaxValue()));
    }
    if (steady.getTotalCount() == 0) {
      out.println("no ok reply" + (excluded.isEmpty() ? "" : " after " + excluded) + ": no latency to show");
      return;
    }
    out.printf(Locale.ROOT, "push→reply latency from the due time (ms), %d replies%s:%n", steady.getTotalCount(),
        excluded.isEmpty() ? "" : " after " + excluded);
    for (double percentile : PERCENTILES) {
      out.printf(Locale.ROOT, "  p%-7s %10.3f%n", label(percentile), millis(steady.getValueAtPercentile(percentile)));
    }
    out.printf(Locale.ROOT, "  %-8s %10.3f%n", "max", millis(steady.getMaxValue()));
  }

  private static void percentiles(ObjectNode latency, Histogram histogram, double[] percentiles) {
    latency.put("count", histogram.getTotalCount());
    if (histogram.getTotalCount() > 0) {
      for (double percentile : percentiles) {
        latency.put("p" + label(percentile).replace('.', '_'), millis(histogram.getValueAtPercentile(percentile)));
      }
      latency.put("max", millis(histogram.getMaxValue()));
    }
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
