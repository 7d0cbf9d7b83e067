package io.phoenixchannels.benchmarks.workloads;

import io.phoenixchannels.benchmarks.clients.BenchChannel;
import io.phoenixchannels.benchmarks.clients.BenchClient;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Opening a socket and joining one channel on it, for the workloads that need only a few. */
final class Joins {
  private Joins() {}

  static BenchChannel joinOne(BenchClient client, String url, String topic, Map<String, Object> params)
      throws Exception {
    return client.open(url).join(topic, params).get(15, TimeUnit.SECONDS);
  }
}
