package io.phoenixchannels.benchmarks.workloads;

import io.phoenixchannels.benchmarks.clients.BenchClient;
import io.phoenixchannels.benchmarks.clients.BenchPresence;
import io.phoenixchannels.benchmarks.clients.BenchSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Crowd: N users in one room. N sockets, all opened at once, each with its own user id and its own Presence, join
 * one fresh {@code room:} topic with Presence tracking on; every join is a {@code presence_diff} to every member,
 * so the room costs about N² diff deliveries. Measured: the time until every list holds N users, and the client
 * process's CPU over that time. {@code phoenixjs/client.js} runs the same.
 */
final class Crowd implements Workload {
  private final int defaultUsers;

  Crowd(int defaultUsers) {
    this.defaultUsers = defaultUsers;
  }

  @Override
  public Map<String, Object> run(BenchClient client, String url, WorkloadOptions options) throws Exception {
    int users = options.sockets(defaultUsers);
    long deadlineNanos = options.deadline().toNanos();
    // A room of its own per run: users a previous run left behind must not count.
    String run = Long.toString(System.currentTimeMillis(), 36) + "-" + ProcessHandle.current().pid();
    String topic = "room:bench-crowd-" + run;
    CountDownLatch converged = new CountDownLatch(users);
    AtomicLong lastConverged = new AtomicLong();
    List<BenchSocket> sockets = new ArrayList<>(users);
    List<BenchPresence> lists = new ArrayList<>(users);

    long cpu0 = ProcessMetrics.cpuNanos();
    long t0 = System.nanoTime();
    for (int i = 0; i < users; i++) {
      BenchSocket socket = client.open(url + "?user_id=crowd-" + run + "-" + i);
      sockets.add(socket);
      boolean[] reached = {false};
      lists.add(socket.joinWithPresence(topic, Payloads.ordered("name", "u" + i), keys -> {
        if (keys == users && !reached[0]) {
          reached[0] = true;
          lastConverged.accumulateAndGet(System.nanoTime(), Math::max);
          converged.countDown();
        }
      }));
    }
    boolean all = converged.await(deadlineNanos, TimeUnit.NANOSECONDS);
    long cpu1 = ProcessMetrics.cpuNanos();
    long t1 = System.nanoTime();

    int full = 0;
    for (BenchPresence list : lists) {
      full += list.listSize() == users ? 1 : 0;
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("users", users);
    result.put("lists_converged", users - (int) converged.getCount());
    result.put("converge_seconds", all ? (lastConverged.get() - t0) / 1e9 : null);
    result.put("cpu_seconds", (cpu1 - cpu0) / 1e9);
    result.put("wall_seconds", (t1 - t0) / 1e9);
    result.put("lists_full_at_end", full);
    result.put("sockets_kept", sockets.size());
    return result;
  }
}
