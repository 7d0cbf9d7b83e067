package io.phoenixchannels.benchmarks.workloads;

import io.phoenixchannels.benchmarks.clients.BenchChannel;
import io.phoenixchannels.benchmarks.clients.BenchClient;
import io.phoenixchannels.benchmarks.clients.BenchSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * W4: scale. {@code sockets} sockets in this process, all opened at once, each joining {@code room:bench-w4} with
 * {@code {"presence":false}}: the time until the last join is answered, the live threads, the heap retained per
 * socket after full collections; then one {@code broadcast} push, and the time until the last socket got the
 * {@code broadcasted} message.
 */
final class ManySockets implements Workload {
  private static final String TOPIC = "room:bench-w4";

  @Override
  public Map<String, Object> run(BenchClient client, String url, WorkloadOptions options) throws Exception {
    int count = options.sockets(10_000);
    long deadlineNanos = options.deadline().toNanos();
    long heap0 = ProcessMetrics.heapAfterGc();
    int threads0 = ProcessMetrics.javaThreads();

    List<BenchSocket> sockets = new ArrayList<>(count);
    AtomicReferenceArray<BenchChannel> channels = new AtomicReferenceArray<>(count);
    CountDownLatch joined = new CountDownLatch(count);
    AtomicLong lastJoin = new AtomicLong();
    AtomicLong lastReceive = new AtomicLong();
    AtomicInteger received = new AtomicInteger();
    AtomicInteger expected = new AtomicInteger(Integer.MAX_VALUE);
    CountDownLatch allReceived = new CountDownLatch(1);
    Runnable onBroadcast = () -> {
      lastReceive.accumulateAndGet(System.nanoTime(), Math::max);
      if (received.incrementAndGet() == expected.get()) {
        allReceived.countDown();
      }
    };

    long cpu0 = ProcessMetrics.cpuNanos();
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      int index = i;
      BenchSocket socket = client.open(url);
      sockets.add(socket);
      socket.join(TOPIC, Payloads.JOIN).thenAccept(channel -> {
        channel.on("broadcasted", onBroadcast);
        channels.set(index, channel);
        lastJoin.accumulateAndGet(System.nanoTime(), Math::max);
        joined.countDown();
      });
    }
    boolean allJoined = joined.await(deadlineNanos, TimeUnit.NANOSECONDS);
    long cpu1 = ProcessMetrics.cpuNanos();
    int joinedCount = count - (int) joined.getCount();

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("sockets", count);
    result.put("joined", joinedCount);
    result.put("join_seconds", allJoined ? (lastJoin.get() - t0) / 1e9 : null);
    result.put("join_cpu_us_per_socket", joinedCount == 0 ? null : (cpu1 - cpu0) / 1e3 / joinedCount);
    result.put("java_threads", ProcessMetrics.javaThreads());
    result.put("java_threads_before", threads0);
    result.put("os_threads", ProcessMetrics.osThreads());
    long heap1 = ProcessMetrics.heapAfterGc();
    result.put("heap_bytes_per_socket", joinedCount == 0 ? null : (heap1 - heap0) / joinedCount);

    BenchChannel sender = null;
    for (int i = 0; i < count && sender == null; i++) {
      sender = channels.get(i);
    }
    if (sender != null) {
      // Only the sockets joined by now are members: they are the ones to wait for.
      int members = 0;
      for (int i = 0; i < count; i++) {
        members += channels.get(i) == null ? 0 : 1;
      }
      expected.set(members);
      long tb = System.nanoTime();
      sender.push("broadcast", Payloads.ECHO, () -> { });
      boolean all = allReceived.await(deadlineNanos, TimeUnit.NANOSECONDS);
      result.put("broadcast_members", members);
      result.put("broadcast_received", received.get());
      result.put("broadcast_seconds", all ? (lastReceive.get() - tb) / 1e9 : null);
    }
    // Keep the sockets reachable until the end, so the heap figure above counted them.
    result.put("sockets_kept", sockets.size());
    return result;
  }
}
