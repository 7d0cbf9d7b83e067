package io.phoenixchannels.benchmarks.jmh;

import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Reply;
import io.phoenixchannels.internal.protocol.JsonFrames;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W1's work inside the client, without a wire: {@code push("echo", payload)} with ok, error and timeout receivers
 * (payload written, message framed, timeout armed, frame handed to the transport), then the reply frame handed
 * back (decoded, routed by ref, timeout cancelled, receiver called). The loop is a {@link ManualEventLoop} on the
 * benchmark thread. The reply frame is written per operation by the benchmark, as the server would; {@code
 * replyFrameOnly} measures that part alone, to subtract.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PushReplyBenchmark {
  private static final String REPLY_PAYLOAD = CodecFixtures.write(
      Map.of("status", "ok", "response", CodecFixtures.PAYLOAD));

  private final CapturingTransport transport = new CapturingTransport();
  private final AtomicLong replies = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Consumer<Reply> onOk = reply -> replies.incrementAndGet();
  private final Consumer<Reply> onError = reply -> failures.incrementAndGet();
  private final Runnable onTimeout = failures::incrementAndGet;
  private PhoenixSocket socket;
  private PhoenixChannel channel;
  private String joinRef;
  private long ref;

  @Setup(Level.Trial)
  public void setUp() {
    ManualEventLoop loop = new ManualEventLoop();
    socket = PhoenixSocket.builder("ws://localhost:4000/socket").transport(transport).eventLoop(loop).build();
    InboundDispatchBenchmark.joinAndBind(socket, transport, new AtomicLong(), loop::runPending);
    channel = socket.channels().get(0);
    joinRef = JsonFrames.decodeV2(CodecFixtures.MAPPER, transport.lastSent).joinRef();
    ref = Long.parseLong(JsonFrames.decodeV2(CodecFixtures.MAPPER, transport.lastSent).ref());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (failures.get() != 0) {
      throw new IllegalStateException(failures.get() + " pushes failed");
    }
    socket.close();
  }

  /** One push and its reply through the client. */
  @Benchmark
  public long pushAndReply() {
    channel.push("echo", CodecFixtures.PAYLOAD)
        .receive("ok", onOk)
        .receive("error", onError)
        .receive("timeout", onTimeout);
    ref++;
    transport.listener.onText(JsonFrames.encodeV2(CodecFixtures.MAPPER, joinRef, Long.toString(ref),
        CodecFixtures.TOPIC, "phx_reply", REPLY_PAYLOAD));
    return replies.get();
  }

  /** The benchmark's own part of {@link #pushAndReply()}: writing the reply frame. */
  @Benchmark
  public String replyFrameOnly() {
    ref++;
    return JsonFrames.encodeV2(CodecFixtures.MAPPER, joinRef, Long.toString(ref), CodecFixtures.TOPIC, "phx_reply",
        REPLY_PAYLOAD);
  }
}
