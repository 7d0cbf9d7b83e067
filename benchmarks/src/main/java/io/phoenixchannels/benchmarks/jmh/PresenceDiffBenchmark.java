package io.phoenixchannels.benchmarks.jmh;

import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixPresence;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.internal.protocol.JsonFrames;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A {@code presence_diff} through the whole client into a room of {@code users} keys: frame text → decode →
 * channel → {@link PhoenixPresence} (apply, publish) → its join, leave and sync listeners, on a manual loop. One
 * operation is one diff: a user joins, or the same user leaves again, so the room stays the same size. What it
 * costs should not depend on the size of the room.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PresenceDiffBenchmark {

  /** A socket on a manual loop whose channel holds a presence list of {@code users} keys. */
  @State(Scope.Thread)
  public static class Room {
    @Param({"100", "800"})
    int users;

    final CapturingTransport transport = new CapturingTransport();
    final AtomicLong synced = new AtomicLong();
    PhoenixSocket socket;
    String joinText;
    String leaveText;

    @Setup(Level.Trial)
    public void setUp() {
      ManualEventLoop loop = new ManualEventLoop();
      socket = PhoenixSocket.builder("ws://localhost:4000/socket").transport(transport).eventLoop(loop).build();
      socket.connect();
      while (transport.listener == null) {
        loop.runPending();
      }
      transport.listener.onOpen();
      PhoenixChannel channel = socket.channel(CodecFixtures.TOPIC, Map.of());
      PhoenixPresence presence = new PhoenixPresence(channel);
      AtomicLong keys = new AtomicLong();
      presence.onJoin((key, current, joined) -> keys.incrementAndGet());
      presence.onLeave((key, current, left) -> keys.decrementAndGet());
      presence.onSync(synced::incrementAndGet);
      channel.join();
      while (transport.lastSent == null) {
        loop.runPending();
      }
      String joinRef = JsonFrames.decodeV2(CodecFixtures.MAPPER, transport.lastSent).ref();
      transport.listener.onText(CodecFixtures.write(List.of(joinRef, joinRef, CodecFixtures.TOPIC, "phx_reply",
          Map.of("status", "ok", "response", Map.of()))));
      Map<String, Object> state = new LinkedHashMap<>();
      for (int i = 0; i < users; i++) {
        state.put("user-" + i, presenceOf(i));
      }
      transport.listener.onText(frame(joinRef, "presence_state", state));
      joinText = frame(joinRef, "presence_diff", Map.of("joins", Map.of("newcomer", presenceOf(-1)),
          "leaves", Map.of()));
      leaveText = frame(joinRef, "presence_diff", Map.of("joins", Map.of(),
          "leaves", Map.of("newcomer", presenceOf(-1))));
      loop.runPending();
      if (keys.get() != users) {
        throw new IllegalStateException("the room holds " + keys.get() + " keys, not " + users);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      socket.close();
    }

    private static Map<String, Object> presenceOf(int i) {
      return Map.of("metas", List.of(Map.of("name", "u" + i, "online_at", 1765000000000L + i,
          "phx_ref", "F" + Integer.toHexString(i * 7919 + 100003))));
    }

    private static String frame(String joinRef, String event, Map<String, Object> payload) {
      return CodecFixtures.write(Arrays.asList(joinRef, null, CodecFixtures.TOPIC, event, payload));
    }
  }

  /** Someone joins the room, then leaves it: two diffs. */
  @Benchmark
  @OperationsPerInvocation(2)
  public long joinThenLeave(Room room) {
    room.transport.listener.onText(room.joinText);
    room.transport.listener.onText(room.leaveText);
    return room.synced.get();
  }
}
