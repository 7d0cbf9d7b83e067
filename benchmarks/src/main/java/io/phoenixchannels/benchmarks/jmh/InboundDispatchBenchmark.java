package io.phoenixchannels.benchmarks.jmh;

import io.phoenixchannels.EventLoopGroup;
import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.internal.protocol.JsonFrames;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A server push through the whole client, without a wire: frame text handed to the socket as its transport would
 * hand it → decode → event loop → channel (join_ref check, bindings) → the handler bound with {@code on("tick")}.
 *
 * <p>{@code onManualLoop} runs the loop on the benchmark thread ({@link ManualEventLoop}): the client's own work per
 * message, with nothing else in the numbers. {@code acrossThreads} hands frames from the benchmark thread to a
 * real event-loop thread, 1,000 at a time, as the transport's thread does: the hand-off included.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InboundDispatchBenchmark {
  private static final int BATCH = 1000;

  /** A socket on a manual loop driven by the benchmark thread, joined to the push's topic. */
  @State(Scope.Thread)
  public static class ManualLoop {
    final CapturingTransport transport = new CapturingTransport();
    final AtomicLong handled = new AtomicLong();
    String pushText;
    PhoenixSocket socket;

    @Setup(Level.Trial)
    public void setUp() {
      ManualEventLoop loop = new ManualEventLoop();
      socket = PhoenixSocket.builder("ws://localhost:4000/socket").transport(transport).eventLoop(loop).build();
      pushText = joinAndBind(socket, transport, handled, loop::runPending);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      socket.close();
    }
  }

  /** A socket on a real event-loop thread of its own group, joined to the push's topic. */
  @State(Scope.Thread)
  public static class LoopThread {
    final CapturingTransport transport = new CapturingTransport();
    final AtomicLong handled = new AtomicLong();
    EventLoopGroup group;
    String pushText;
    PhoenixSocket socket;

    @Setup(Level.Trial)
    public void setUp() {
      group = EventLoopGroup.create(1);
      socket = PhoenixSocket.builder("ws://localhost:4000/socket").transport(transport).eventLoopGroup(group)
          .build();
      pushText = joinAndBind(socket, transport, handled, () -> LockSupport.parkNanos(1_000_000));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      socket.close();
      group.close();
    }
  }

  /** One push, handled before the call returns. */
  @Benchmark
  public long onManualLoop(ManualLoop state) {
    state.transport.listener.onText(state.pushText);
    return state.handled.get();
  }

  /** 1,000 pushes handed to the loop thread; returns when its handler has counted them all. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long acrossThreads(LoopThread state) {
    long target = state.handled.get() + BATCH;
    for (int i = 0; i < BATCH; i++) {
      state.transport.listener.onText(state.pushText);
    }
    long handled;
    while ((handled = state.handled.get()) < target) {
      Thread.onSpinWait();
    }
    return handled;
  }

  /**
   * Connects, joins {@code room:lobby} (answering the join the socket sent), binds the counting handler, and
   * returns a server push frame for the current join.
   */
  static String joinAndBind(PhoenixSocket socket, CapturingTransport transport, AtomicLong handled,
      Runnable pump) {
    socket.connect();
    while (transport.listener == null) {
      pump.run();
    }
    transport.listener.onOpen();
    PhoenixChannel channel = socket.channel(CodecFixtures.TOPIC, Map.of("presence", false));
    channel.on("tick", message -> handled.incrementAndGet());
    CompletableFuture<Boolean> joined = new CompletableFuture<>();
    channel.join().receive("ok", reply -> joined.complete(true));
    while (transport.lastSent == null) {
      pump.run();
    }
    String joinRef = JsonFrames.decodeV2(CodecFixtures.MAPPER, transport.lastSent).ref();
    transport.listener.onText(CodecFixtures.write(List.of(joinRef, joinRef, CodecFixtures.TOPIC, "phx_reply",
        Map.of("status", "ok", "response", Map.of()))));
    while (!joined.isDone()) {
      pump.run();
    }
    return CodecFixtures.write(java.util.Arrays.asList(joinRef, null, CodecFixtures.TOPIC, "tick", Map.of("i", 7)));
  }
}
