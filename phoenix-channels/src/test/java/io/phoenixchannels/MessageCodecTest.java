package io.phoenixchannels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.testing.FakeTransport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Custom encode/decode (phoenix.js's encode and decode options) through a {@link MessageCodec}. */
class MessageCodecTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A made-up wire format: one JSON object with short keys; binary frames are the payload bytes of event "bin". */
  static final class ShortKeysCodec implements MessageCodec {
    @Override
    public String vsn() {
      return "short-1";
    }

    @Override
    public Object encode(Message message) {
      if (message.payload().isBinary()) {
        try {
          return message.payload().binaryValue();
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      }
      ObjectNode frame = MAPPER.createObjectNode();
      frame.put("j", message.joinRef()).put("r", message.ref()).put("t", message.topic()).put("e", message.event());
      frame.set("p", message.payload());
      return frame.toString();
    }

    @Override
    public Message decode(String text) {
      try {
        JsonNode frame = MAPPER.readTree(text);
        return new Message(frame.path("j").textValue(), frame.path("r").textValue(), frame.get("t").asText(),
            frame.get("e").asText(), frame.get("p"));
      } catch (JsonProcessingException | NullPointerException e) {
        throw new ProtocolException("not a short-keys frame: " + text, e);
      }
    }

    @Override
    public Message decode(ByteBuffer data) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      return new Message(null, null, "room:1", "bin", com.fasterxml.jackson.databind.node.BinaryNode.valueOf(bytes));
    }
  }

  private final ManualEventLoop loop = new ManualEventLoop();
  private final FakeTransport transport = new FakeTransport();
  private final List<PhoenixException> errors = new ArrayList<>();
  private final PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop)
      .transport(transport).codec(new ShortKeysCodec()).build();

  @Test
  void encodesOutboundMessagesSendsItsVsnAndDecodesInbound() throws Exception {
    socket.onError(errors::add);
    socket.connect();
    FakeTransport.Connection server = transport.last().open();
    assertThat(server.request().query()).isEqualTo("vsn=short-1");
    PhoenixChannel channel = socket.channel("room:1", Map.of("name", "ada"));
    channel.join();
    JsonNode join = MAPPER.readTree(server.sentTexts().get(0));
    assertThat(join.get("e").asText()).isEqualTo("phx_join");
    assertThat(join.get("p")).isEqualTo(MAPPER.readTree("{\"name\":\"ada\"}"));
    String ref = join.get("r").asText();
    server.receive("{\"j\":\"" + ref + "\",\"r\":\"" + ref
        + "\",\"t\":\"room:1\",\"e\":\"phx_reply\",\"p\":{\"status\":\"ok\",\"response\":{}}}");
    assertThat(channel.state()).isEqualTo(ChannelState.JOINED);

    List<Message> binaries = new ArrayList<>();
    channel.on("bin", binaries::add);
    channel.push("bin", new byte[] {4, 2});
    assertThat(server.sentFrames().get(1)).isEqualTo(new byte[] {4, 2});
    server.receiveBinary(new byte[] {7});
    assertThat(binaries).singleElement().satisfies(m -> assertThat(m.payload().binaryValue()).containsExactly(7));

    server.receive("garbage");
    assertThat(errors).singleElement().isInstanceOf(ProtocolException.class);
    assertThat(socket.isConnected()).isTrue();
  }

  @Test
  void snapshotsPayloadsWhenPushedAndRefusesOnesJacksonCannotWrite() throws Exception {
    socket.connect();
    FakeTransport.Connection server = transport.last().open();
    PhoenixChannel channel = socket.channel("room:1");
    channel.join();
    String ref = MAPPER.readTree(server.sentTexts().get(0)).get("r").asText();
    server.receive("{\"j\":\"" + ref + "\",\"r\":\"" + ref
        + "\",\"t\":\"room:1\",\"e\":\"phx_reply\",\"p\":{\"status\":\"ok\",\"response\":{}}}");
    Map<String, Object> payload = new java.util.HashMap<>(Map.of("n", 1));
    channel.push("e", payload);
    payload.put("n", 2);
    assertThat(MAPPER.readTree(server.sentTexts().get(1)).get("p")).isEqualTo(MAPPER.readTree("{\"n\":1}"));
    assertThatThrownBy(() -> channel.push("e", new Object())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be written as JSON");
  }
}
