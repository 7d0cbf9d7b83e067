package io.phoenixchannels.benchmarks.jmh;

import io.phoenixchannels.Message;
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

/** The V2 JSON serializer: a push written and framed, a reply and a server push read. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class V2JsonCodecBenchmark {
  private final V2Serializer serializer = new V2Serializer(CodecFixtures.MAPPER);
  private final OutboundMessage push = new OutboundMessage(CodecFixtures.JOIN_REF, CodecFixtures.REF,
      CodecFixtures.TOPIC, "echo", OutboundPayload.json(CodecFixtures.PAYLOAD_JSON));
  private final Frame reply = Frame.text(CodecFixtures.REPLY_TEXT);
  private final Frame serverPush = Frame.text(CodecFixtures.PUSH_TEXT);

  /** Frames a push whose payload is already written: what the event loop does per push. */
  @Benchmark
  public Frame encodePush() {
    return serializer.encode(push);
  }

  /** Writes the payload (a map, on the pushing thread) and frames the push: the whole outbound cost. */
  @Benchmark
  public Frame writePayloadAndEncodePush() throws Exception {
    OutboundPayload payload = serializer.prepare(CodecFixtures.PAYLOAD, CodecFixtures.MAPPER);
    return serializer.encode(new OutboundMessage(CodecFixtures.JOIN_REF, CodecFixtures.REF, CodecFixtures.TOPIC,
        "echo", payload));
  }

  /** Reads a reply frame into a message with a tree payload. */
  @Benchmark
  public Message decodeReply() {
    return serializer.decode(reply);
  }

  /** Reads a server push. */
  @Benchmark
  public Message decodePush() {
    return serializer.decode(serverPush);
  }
}
