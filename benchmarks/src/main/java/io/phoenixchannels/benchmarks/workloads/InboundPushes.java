package io.phoenixchannels.benchmarks.workloads;

import io.phoenixchannels.benchmarks.clients.BenchChannel;
import io.phoenixchannels.benchmarks.clients.BenchClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * W3: server pushes dispatched to a handler. The client asks for {@code tick_batch} {@code tick} pushes with
 * {@code start_ticks} and keeps two such requests outstanding (each ok reply asks for the next batch), so the
 * server always has ticks to send; a handler bound with {@code on("tick")} counts them.
 */
final class InboundPushes implements Workload {

  @Override
  public Map<String, Object> run(BenchClient client, String url, WorkloadOptions options) throws Exception {
    BenchChannel channel = Joins.joinOne(client, url, "game:bench-w3", Payloads.JOIN);
    LongAdder ticks = new LongAdder();
    channel.on("tick", ticks::increment);
    Map<String, Object> request = Payloads.ordered("n", options.tickBatch());
    Batches batches = new Batches(channel, request);
    channel.push("start_ticks", request, batches.next);
    channel.push("start_ticks", request, batches.next);

    MeasuredWindow window = MeasuredWindow.of(ticks::sum, options);
    batches.running = false;

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("tick_batch", options.tickBatch());
    window.putInto(result, "messages");
    return result;
  }

  private static final class Batches {
    volatile boolean running = true;
    final Runnable next;

    Batches(BenchChannel channel, Map<String, Object> request) {
      next = new Runnable() {
        @Override
        public void run() {
          if (running) {
            channel.push("start_ticks", request, this);
          }
        }
      };
    }
  }
}
