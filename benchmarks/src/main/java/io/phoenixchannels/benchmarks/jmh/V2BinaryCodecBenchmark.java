package io.phoenixchannels.benchmarks.jmh;

import io.phoenixchannels.Message;
import io.phoenixchannels.internal.protocol.BinaryFrames;
import io.phoenixchannels.internal.protocol.Frame;
import io.phoenixchannels.internal.protocol.OutboundMessage;
import io.phoenixchannels.internal.protocol.OutboundPayload;
import io.phoenixchannels.internal.protocol.V2Serializer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The V2 binary frames, 64-byte payloads: a push written, a reply and a server push read. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class V2BinaryCodecBenchmark {
  private final V2Serializer serializer = new V2Serializer(CodecFixtures.MAPPER);
  private final OutboundMessage push = new OutboundMessage(CodecFixtures.JOIN_REF, CodecFixtures.REF,
      CodecFixtures.TOPIC, "binary_echo", OutboundPayload.binary(CodecFixtures.BINARY_PAYLOAD));
  private final Frame reply = Frame.binary(BinaryFrames.encodeReply(CodecFixtures.JOIN_REF, CodecFixtures.REF,
      CodecFixtures.TOPIC, "ok", CodecFixtures.BINARY_PAYLOAD));
  private final Frame serverPush = Frame.binary(BinaryFrames.encodeServerPush(CodecFixtures.JOIN_REF,
      CodecFixtures.TOPIC, "binary_item", CodecFixtures.BINARY_PAYLOAD));

  @Benchmark
  public Frame encodePush() {
    return serializer.encode(push);
  }

  @Benchmark
  public Message decodeReply() {
    return serializer.decode(reply);
  }

  @Benchmark
  public Message decodePush() {
    return serializer.decode(serverPush);
  }
}
