package io.phoenixchannels.benchmarks.workloads;

import io.phoenixchannels.benchmarks.clients.BenchChannel;
import io.phoenixchannels.benchmarks.clients.BenchClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * W1: {@code echo} push→reply throughput. Each socket keeps {@code in_flight} pushes outstanding: every ok reply
 * sends the next push from the reply callback, as a pipelining application would.
 */
final class PipelinedEcho implements Workload {
  private final int defaultSockets;

  PipelinedEcho(int defaultSockets) {
    this.defaultSockets = defaultSockets;
  }

  @Override
  public Map<String, Object> run(BenchClient client, String url, WorkloadOptions options) throws Exception {
    int sockets = options.sockets(defaultSockets);
    List<BenchChannel> channels = new ArrayList<>();
    for (int i = 0; i < sockets; i++) {
      channels.add(Joins.joinOne(client, url, "room:bench-w1-" + i, Payloads.JOIN));
    }
    LongAdder replies = new LongAdder();
    Pipelines pipelines = new Pipelines(replies);
    for (BenchChannel channel : channels) {
      Runnable next = pipelines.on(channel);
      for (int i = 0; i < options.inFlight(); i++) {
        channel.push("echo", Payloads.ECHO, next);
      }
    }
    MeasuredWindow window = MeasuredWindow.of(replies::sum, options);
    pipelines.running = false;

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("sockets", sockets);
    result.put("in_flight_per_socket", options.inFlight());
    window.putInto(result, "replies");
    return result;
  }

  /** The reply callbacks: one object per socket, so the harness allocates nothing per push. */
  private static final class Pipelines {
    private final LongAdder replies;
    volatile boolean running = true;

    Pipelines(LongAdder replies) {
      this.replies = replies;
    }

    Runnable on(BenchChannel channel) {
      return new Runnable() {
        @Override
        public void run() {
          replies.increment();
          if (running) {
            channel.push("echo", Payloads.ECHO, this);
          }
        }
      };
    }
  }
}
