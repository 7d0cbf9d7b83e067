package io.phoenixchannels.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.benchmarks.clients.BenchClient;
import io.phoenixchannels.benchmarks.clients.Clients;
import io.phoenixchannels.benchmarks.workloads.Workload;
import io.phoenixchannels.benchmarks.workloads.WorkloadOptions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One client process of the comparison: runs one workload with one JVM client and prints its figures as one line
 * {@code RESULT {json}} on standard output. {@link Compare} starts it; by hand:
 * {@code java -cp ... io.phoenixchannels.benchmarks.ClientMain ours w1 ws://127.0.0.1:4000/socket measure_ms=3000}.
 */
public final class ClientMain {
  private ClientMain() {}

  /**
   * Runs the workload and exits without closing the sockets (10,000 closes would only slow the next run); exit
   * hooks still run, so a flight recording started with {@code -XX:StartFlightRecording} is written.
   *
   * @param args client name, workload name, socket URL, then {@code key=value} options
   */
  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println("usage: ClientMain <ours|javaphoenixclient|raw> <w1|w1x4|w2|w3|w4> <url> [key=value...]");
      System.exit(2);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("client", args[0]);
    result.put("workload", args[1]);
    int status = 0;
    BenchClient client = null;
    try {
      client = Clients.create(args[0]);
      Workload workload = Workload.named(args[1]);
      WorkloadOptions options = new WorkloadOptions(Arrays.copyOfRange(args, 3, args.length));
      result.putAll(workload.run(client, args[2], options));
    } catch (Exception e) {
      result.put("failed", e.toString());
      status = 1;
    } catch (OutOfMemoryError e) {
      result.put("failed", e.toString());
      status = 1;
    }
    result.put("errors", client == null ? null : client.errors());
    result.put("first_error", client == null ? null : client.firstError());
    try {
      System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
    } catch (Exception e) {
      System.out.println("RESULT {\"failed\":\"cannot write the result\"}");
    }
    System.out.flush();
    System.exit(status);
  }
}
