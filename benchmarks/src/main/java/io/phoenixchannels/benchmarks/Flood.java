package io.phoenixchannels.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.benchmarks.workloads.ProcessMetrics;
import io.phoenixchannels.netty.NettyEventLoops;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The flood: the server pushes far faster than the application's handler runs, and the client's retained heap is
 * sampled (after a full GC) every second. With the socket's inbound window the transport stops reading and the
 * heap stays flat; with the window off ({@code window=0}, as phoenix.js) every frame the server sent waits in the
 * heap. Run it with {@code benchmarks/run-flood.sh}; by hand:
 *
 * <pre>
 * java -cp ... io.phoenixchannels.benchmarks.Flood ws://127.0.0.1:PORT/socket [transport=jdk|netty] [window=1024]
 *     [ticks=200000] [handler_us=1000] [seconds=10]
 * </pre>
 *
 * <p>Prints one line per sample and a last line {@code RESULT {...}}: the largest retained heap in MB, the ticks
 * handled, and the ticks the server was asked for.
 */
public final class Flood {
  private Flood() {}

  /**
   * Runs the flood.
   *
   * @param args the socket URL, then {@code key=value} options
   * @throws Exception if the channel cannot join
   */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      options.put(kv[0], kv[1]);
    }
    String transport = options.getOrDefault("transport", "jdk");
    int window = Integer.parseInt(options.getOrDefault("window", "1024"));
    int ticks = Integer.parseInt(options.getOrDefault("ticks", "200000"));
    long handlerNanos = Long.parseLong(options.getOrDefault("handler_us", "1000")) * 1000;
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));

    NettyEventLoops netty = transport.equals("netty") ? NettyEventLoops.create(1) : null;
    PhoenixSocket.Builder builder = PhoenixSocket.builder(url).inboundWindow(window)
        // A handler this slow holds the socket back for longer than phoenix.js's 30 s heartbeat timeout would allow
        // without the window too; the flood is about memory, not the heartbeat.
        .heartbeatInterval(java.time.Duration.ofMinutes(10));
    if (netty != null) {
      builder.eventLoop(netty.next()).transport(netty.transport());
    }
    long baseline = retainedBytes();
    AtomicLong handled = new AtomicLong();
    try (PhoenixSocket socket = builder.build()) {
      PhoenixChannel game = socket.channel("game:flood", Map.of("presence", false));
      game.on("tick", message -> {
        long until = System.nanoTime() + handlerNanos;
        while (System.nanoTime() < until) {
          Thread.onSpinWait(); // a handler that computes, at a known pace
        }
        handled.incrementAndGet();
      });
      socket.connect();
      game.join().toFuture().get(30, TimeUnit.SECONDS);
      game.push("start_ticks", Map.of("n", ticks), java.time.Duration.ofMinutes(10));
      long maxRetained = 0;
      for (int s = 1; s <= seconds; s++) {
        ProcessMetrics.sleepMillis(1000);
        long retained = retainedBytes() - baseline;
        maxRetained = Math.max(maxRetained, retained);
        System.out.printf("t=%2d s  retained heap %7.1f MB  ticks handled %d%n", s, retained / 1e6, handled.get());
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("transport", transport);
      result.put("window", window);
      result.put("ticks_asked", ticks);
      result.put("handler_us", handlerNanos / 1000);
      result.put("seconds", seconds);
      result.put("ticks_handled", handled.get());
      result.put("max_retained_mb", Math.round(maxRetained / 1e5) / 10.0);
      System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
      socket.disconnect(1000, "done");
    } finally {
      if (netty != null) {
        netty.close();
      }
    }
    Runtime.getRuntime().halt(0);
  }

  /** The heap in use after a full GC: what the process retains. */
  private static long retainedBytes() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
