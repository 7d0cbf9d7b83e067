package io.phoenixchannels.benchmarks.workloads;

import io.phoenixchannels.benchmarks.clients.BenchClient;
import java.util.Map;

/** One workload of the comparison, run by one client process against a running server. */
@FunctionalInterface
public interface Workload {

  /**
   * Runs the workload, bounded in count and time.
   *
   * @param client the client under test
   * @param url the socket endpoint
   * @param options the knobs
   * @return the figures, by the names the comparison table reads (see {@code Compare})
   * @throws Exception if the workload could not run at all (no join within its deadline, say)
   */
  Map<String, Object> run(BenchClient client, String url, WorkloadOptions options) throws Exception;

  /**
   * Returns the workload of a name.
   *
   * @param name {@code w1}, {@code w1x4}, {@code w2}, {@code w3}, {@code w4}, or {@code crowdN} for N users (crowd300)
   * @return the workload
   * @throws IllegalArgumentException for another name
   */
  static Workload named(String name) {
    return switch (name) {
      case "w1" -> new PipelinedEcho(1);
      case "w1x4" -> new PipelinedEcho(4);
      case "w2" -> new PacedLatency();
      case "w3" -> new InboundPushes();
      case "w4" -> new ManySockets();
      default -> {
        if (name.matches("crowd[1-9][0-9]*")) {
          yield new Crowd(Integer.parseInt(name.substring("crowd".length())));
        }
        throw new IllegalArgumentException("unknown workload '" + name + "' (w1, w1x4, w2, w3, w4, crowdN)");
      }
    };
  }
}
