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
 * process's CPU over that time. With {@code warmup_users=K} a crowd of K runs first in a room of its own and is
 * closed, so that the measured one runs in a process that has done this before. {@code phoenixjs/client.js} runs
 * the same.
 */
final class Crowd implements Workload {
  private final int defaultUsers;

  Crowd(int defaultUsers) {
    this.defaultUsers = defaultUsers;
  }

  @Override
  public Map<String, Object> run(BenchClient client, String url, WorkloadOptions options) throws Exception {
    int users = options.sockets(defaultUsers);
    // Rooms of their own per run: users a previous run left behind must not count.
    String run = Long.toString(System.currentTimeMillis(), 36) + "-" + ProcessHandle.current().pid();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("users", users);
    int warmupUsers = options.warmupUsers();
    if (warmupUsers > 0) {
      Room warmup = new Room(client, url, run + "-warmup", warmupUsers);
      result.put("warmup_users", warmupUsers);
      result.put("warmup_converged", warmup.awaitConverged(options.deadline().toNanos()));
      warmup.close();
      // Lets the server send the leaves of the warm-up room and forget it before the measured crowd starts.
      ProcessMetrics.sleepMillis(3000);
    }
    long cpu0 = ProcessMetrics.cpuNanos();
    long t0 = System.nanoTime();
    Room room = new Room(client, url, run, users);
    boolean all = room.awaitConverged(options.deadline().toNanos());
    long cpu1 = ProcessMetrics.cpuNanos();
    long t1 = System.nanoTime();
    result.put("lists_converged", users - (int) room.converged.getCount());
    result.put("converge_seconds", all ? (room.lastConverged.get() - t0) / 1e9 : null);
    result.put("cpu_seconds", (cpu1 - cpu0) / 1e9);
    result.put("wall_seconds", (t1 - t0) / 1e9);
    result.put("lists_full_at_end", room.fullLists());
    result.put("sockets_kept", room.sockets.size());
    return result;
  }

  /** N sockets joining one room, each counting the users its own Presence holds. */
  private static final class Room {
    final CountDownLatch converged;
    final AtomicLong lastConverged = new AtomicLong();
    final List<BenchSocket> sockets;
    final List<BenchPresence> lists;
    final int users;

    Room(BenchClient client, String url, String run, int users) {
      this.users = users;
      this.converged = new CountDownLatch(users);
      this.sockets = new ArrayList<>(users);
      this.lists = new ArrayList<>(users);
      String topic = "room:bench-crowd-" + run;
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
    }

    boolean awaitConverged(long deadlineNanos) throws InterruptedException {
      return converged.await(deadlineNanos, TimeUnit.NANOSECONDS);
    }

    int fullLists() {
      int full = 0;
      for (BenchPresence list : lists) {
        full += list.listSize() == users ? 1 : 0;
      }
      return full;
    }

    void close() {
      for (BenchSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
