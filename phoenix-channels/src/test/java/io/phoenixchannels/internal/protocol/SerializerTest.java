package io.phoenixchannels.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.Message;
import io.phoenixchannels.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SerializerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Serializer v2 = Serializer.forVsn("2.0.0", MAPPER);
  private final Serializer v1 = Serializer.forVsn("1.0.0", MAPPER);

  @Nested
  class V2Json {
    @Test
    void encodesTheFiveElementArray() throws Exception {
      Frame frame = v2.encode(new OutboundMessage("1", "2", "room:lobby", "new_msg",
          OutboundPayload.of(Map.of("body", "hi"), MAPPER)));
      assertThat(frame.isText()).isTrue();
      assertThat(MAPPER.readTree(frame.text()))
          .isEqualTo(MAPPER.readTree("[\"1\",\"2\",\"room:lobby\",\"new_msg\",{\"body\":\"hi\"}]"));
    }

    @Test
    void encodesNullRefsAsJsonNull() {
      Frame frame = v2.encode(new OutboundMessage(null, "7", "phoenix", "heartbeat", OutboundPayload.emptyObject()));
      assertThat(frame.text()).isEqualTo("[null,\"7\",\"phoenix\",\"heartbeat\",{}]");
    }

    @Test
    void escapesStringsThroughJackson() {
      Frame frame = v2.encode(new OutboundMessage(null, "1", "room:\"q\"", "ev\\", OutboundPayload.emptyObject()));
      assertThat(frame.text()).isEqualTo("[null,\"1\",\"room:\\\"q\\\"\",\"ev\\\\\",{}]");
    }

    @Test
    void decodesAServerPush() {
      Message m = v2.decode(Frame.text("[\"6\",null,\"room:lobby\",\"presence_state\",{\"a\":1}]"));
      assertThat(m.joinRef()).isEqualTo("6");
      assertThat(m.ref()).isNull();
      assertThat(m.topic()).isEqualTo("room:lobby");
      assertThat(m.event()).isEqualTo("presence_state");
      assertThat(m.payload().get("a").asInt()).isEqualTo(1);
    }

    @Test
    void decodesAReplyWithResponseBeforeStatus() {
      Message m = v2.decode(Frame.text(
          "[\"6\",\"7\",\"room:lobby\",\"phx_reply\",{\"response\":{\"ok\":true},\"status\":\"ok\"}]"));
      assertThat(m.isReply()).isTrue();
      assertThat(m.payload().get("status").asText()).isEqualTo("ok");
      assertThat(m.payload().get("response").get("ok").asBoolean()).isTrue();
    }

    @Test
    void decodesABroadcastWithNullRefs() {
      Message m = v2.decode(Frame.text("[null,null,\"room:lobby\",\"broadcasted\",{}]"));
      assertThat(m.joinRef()).isNull();
      assertThat(m.ref()).isNull();
    }

    @Test
    void decodesANullPayloadAsNullNode() {
      Message m = v2.decode(Frame.text("[null,null,\"t\",\"e\",null]"));
      assertThat(m.payload().isNull()).isTrue();
    }

    @Test
    void roundTripsThroughEncodeAndDecode() throws Exception {
      OutboundPayload payload = OutboundPayload.of(Map.of("list", java.util.List.of(1, 2, 3)), MAPPER);
      Message back = v2.decode(v2.encode(new OutboundMessage("3", "4", "t", "e", payload)));
      assertThat(back).isEqualTo(new Message("3", "4", "t", "e", MAPPER.readTree("{\"list\":[1,2,3]}")));
    }

    @Test
    void rejectsTextThatIsNotJson() {
      assertThatThrownBy(() -> v2.decode(Frame.text("not json")))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("invalid JSON frame");
    }

    @Test
    void rejectsAnObjectWhereAnArrayBelongs() {
      assertThatThrownBy(() -> v2.decode(Frame.text("{\"topic\":\"t\"}")))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("expected a JSON array");
    }

    @Test
    void rejectsWrongArityAndWrongTypes() {
      assertThatThrownBy(() -> v2.decode(Frame.text("[null,null,\"t\",\"e\"]")))
          .isInstanceOf(ProtocolException.class).hasMessageContaining("missing payload");
      assertThatThrownBy(() -> v2.decode(Frame.text("[null,null,\"t\",\"e\",{},1]")))
          .isInstanceOf(ProtocolException.class).hasMessageContaining("expected 5 elements");
      assertThatThrownBy(() -> v2.decode(Frame.text("[null,null,1,\"e\",{}]")))
          .isInstanceOf(ProtocolException.class).hasMessageContaining("topic must be a string");
      assertThatThrownBy(() -> v2.decode(Frame.text("[{},null,\"t\",\"e\",{}]")))
          .isInstanceOf(ProtocolException.class).hasMessageContaining("join_ref must be a string or null");
      assertThatThrownBy(() -> v2.decode(Frame.text("[null,null,\"t\",\"e\",{}] []")))
          .isInstanceOf(ProtocolException.class).hasMessageContaining("trailing content");
    }

    @Test
    void acceptsNumericRefsAsText() {
      Message m = v2.decode(Frame.text("[5,6,\"t\",\"e\",{}]"));
      assertThat(m.joinRef()).isEqualTo("5");
      assertThat(m.ref()).isEqualTo("6");
    }

    @Test
    void abbreviatesHugeFramesInErrors() {
      String huge = "x".repeat(10_000);
      assertThatThrownBy(() -> v2.decode(Frame.text(huge)))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("(10000 chars)");
    }
  }

  @Nested
  class V2Binary {
    @Test
    void encodesAPushAsTheOfficialClientDoes() {
      Frame frame = v2.encode(new OutboundMessage("0", "1", "t", "e", OutboundPayload.binary(new byte[] {1})));
      assertThat(bytes(frame)).containsExactly(0x00, 0x01, 0x01, 0x01, 0x01, 0x30, 0x31, 0x74, 0x65, 0x01);
    }

    @Test
    void encodesVariableLengthFields() {
      Frame frame = v2.encode(new OutboundMessage("10", "1", "top", "ev", OutboundPayload.binary(new byte[] {1})));
      assertThat(bytes(frame))
          .containsExactly(0x00, 0x02, 0x01, 0x03, 0x02, 0x31, 0x30, 0x31, 0x74, 0x6f, 0x70, 0x65, 0x76, 0x01);
    }

    @Test
    void decodesAServerPush() {
      byte[] frame = concat(new byte[] {0x00, 0x03, 0x03, 0x0a}, ascii("123"), ascii("top"), ascii("some-event"),
          new byte[] {1, 1});
      Message m = v2.decode(Frame.binary(frame));
      assertThat(m.joinRef()).isEqualTo("123");
      assertThat(m.ref()).isNull();
      assertThat(m.topic()).isEqualTo("top");
      assertThat(m.event()).isEqualTo("some-event");
      assertThat(m.payload().isBinary()).isTrue();
      assertThat(binary(m.payload())).containsExactly(1, 1);
    }

    @Test
    void decodesAReplyIntoStatusAndBinaryResponse() {
      byte[] frame = concat(new byte[] {0x01, 0x03, 0x02, 0x03, 0x02}, ascii("100"), ascii("12"), ascii("top"),
          ascii("ok"), new byte[] {1, 1});
      Message m = v2.decode(Frame.binary(frame));
      assertThat(m.joinRef()).isEqualTo("100");
      assertThat(m.ref()).isEqualTo("12");
      assertThat(m.topic()).isEqualTo("top");
      assertThat(m.event()).isEqualTo("phx_reply");
      assertThat(m.payload().get("status").asText()).isEqualTo("ok");
      assertThat(binary(m.payload().get("response"))).containsExactly(1, 1);
    }

    @Test
    void decodesABroadcast() {
      byte[] frame = concat(new byte[] {0x02, 0x03, 0x0a}, ascii("top"), ascii("some-event"), new byte[] {1, 1});
      Message m = v2.decode(Frame.binary(frame));
      assertThat(m.joinRef()).isNull();
      assertThat(m.ref()).isNull();
      assertThat(m.topic()).isEqualTo("top");
      assertThat(m.event()).isEqualTo("some-event");
      assertThat(binary(m.payload())).containsExactly(1, 1);
    }

    @Test
    void countsNonAsciiMetaLengthsInUtf8Bytes() {
      Frame frame = v2.encode(new OutboundMessage("1", "2", "room:café", "π🚀", OutboundPayload.binary(new byte[0])));
      byte[] bytes = bytes(frame);
      assertThat(bytes[3]).isEqualTo((byte) "room:café".getBytes(StandardCharsets.UTF_8).length);
      assertThat(bytes[3]).isEqualTo((byte) 10);
      assertThat(bytes[4]).isEqualTo((byte) 6);
      Message back = BinaryFrames.decodeClientPush(frame.binary());
      assertThat(back.topic()).isEqualTo("room:café");
      assertThat(back.event()).isEqualTo("π🚀");
    }

    @Test
    void rejectsAMetaFieldOver255BytesNamingIt() {
      String topic = "room:" + "é".repeat(126);
      assertThatThrownBy(() -> v2.encode(new OutboundMessage("1", "2", topic, "e",
          OutboundPayload.binary(new byte[] {1}))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("topic is 257 UTF-8 bytes");
      assertThatThrownBy(() -> v2.encode(new OutboundMessage("1", "2", "t", "e".repeat(256),
          OutboundPayload.binary(new byte[] {1}))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("event is 256 UTF-8 bytes");
    }

    @Test
    void acceptsAMetaFieldOfExactly255Bytes() {
      Frame frame = v2.encode(new OutboundMessage("1", "2", "t", "e".repeat(255), OutboundPayload.binary(new byte[0])));
      assertThat(bytes(frame)[4]).isEqualTo((byte) 255);
    }

    @Test
    void rejectsAnUnknownKind() {
      assertThatThrownBy(() -> v2.decode(Frame.binary(new byte[] {7, 0, 0})))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("unknown kind 7");
    }

    @Test
    void rejectsTruncatedFrames() {
      assertThatThrownBy(() -> v2.decode(Frame.binary(new byte[0])))
          .isInstanceOf(ProtocolException.class).hasMessageContaining("truncated");
      assertThatThrownBy(() -> v2.decode(Frame.binary(new byte[] {0x02, 0x05, 0x01, 't'})))
          .isInstanceOf(ProtocolException.class).hasMessageContaining("topic needs 5 bytes, 1 left");
    }

    @Test
    void rejectsInvalidUtf8InMeta() {
      byte[] frame = {0x02, 0x01, 0x01, (byte) 0xff, 'e'};
      assertThatThrownBy(() -> v2.decode(Frame.binary(frame)))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("topic is not valid UTF-8");
    }

    @Test
    void roundTripsServerFramesForTheTestServer() {
      byte[] reply = BinaryFrames.encodeReply("1", "2", "t", "ok", new byte[] {9});
      Message m = BinaryFrames.decodeServerFrame(ByteBuffer.wrap(reply));
      assertThat(m.ref()).isEqualTo("2");
      assertThat(binary(m.payload().get("response"))).containsExactly(9);
      Message push = BinaryFrames.decodeServerFrame(ByteBuffer.wrap(BinaryFrames.encodeServerPush("1", "t", "e",
          new byte[] {8})));
      assertThat(push.joinRef()).isEqualTo("1");
      Message broadcast = BinaryFrames.decodeServerFrame(ByteBuffer.wrap(BinaryFrames.encodeBroadcast("t", "e",
          new byte[] {7})));
      assertThat(binary(broadcast.payload())).containsExactly(7);
    }
  }

  @Nested
  class V1Json {
    @Test
    void encodesAnObjectWithJoinRef() throws Exception {
      Frame frame = v1.encode(new OutboundMessage("1", "2", "room:lobby", "phx_join", OutboundPayload.json("{}")));
      assertThat(MAPPER.readTree(frame.text())).isEqualTo(MAPPER.readTree(
          "{\"topic\":\"room:lobby\",\"event\":\"phx_join\",\"payload\":{},\"ref\":\"2\",\"join_ref\":\"1\"}"));
    }

    @Test
    void encodesAHeartbeatWithoutAJoinRefFieldAsPhoenixJsDoes() throws Exception {
      // phoenix-1.7/v1_join_push: {"topic":"phoenix","event":"heartbeat","payload":{},"ref":"10"}
      Frame frame = v1.encode(new OutboundMessage(null, "10", "phoenix", "heartbeat", OutboundPayload.json("{}")));
      assertThat(MAPPER.readTree(frame.text())).isEqualTo(MAPPER.readTree(
          "{\"topic\":\"phoenix\",\"event\":\"heartbeat\",\"payload\":{},\"ref\":\"10\"}"));
    }

    @Test
    void decodesServerObjectsThatCarryNoJoinRef() {
      Message m = v1.decode(Frame.text(
          "{\"event\":\"phx_reply\",\"payload\":{\"response\":{},\"status\":\"ok\"},\"ref\":\"2\",\"topic\":\"t\"}"));
      assertThat(m.joinRef()).isNull();
      assertThat(m.ref()).isEqualTo("2");
      assertThat(m.isReply()).isTrue();
    }

    @Test
    void ignoresUnknownFields() {
      Message m = v1.decode(Frame.text("{\"topic\":\"t\",\"event\":\"e\",\"payload\":{},\"extra\":[1,{\"x\":2}]}"));
      assertThat(m.event()).isEqualTo("e");
    }

    @Test
    void rejectsMissingFields() {
      assertThatThrownBy(() -> v1.decode(Frame.text("{\"topic\":\"t\",\"payload\":{}}")))
          .isInstanceOf(ProtocolException.class).hasMessageContaining("missing event");
    }

    @Test
    void refusesBinaryBothWays() {
      assertThatThrownBy(() -> v1.encode(new OutboundMessage(null, "1", "t", "e", OutboundPayload.binary(new byte[1]))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("V2");
      assertThatThrownBy(() -> v1.decode(Frame.binary(new byte[] {2, 1, 1, 't', 'e'})))
          .isInstanceOf(ProtocolException.class);
    }
  }

  @Test
  void refusesAnUnsupportedVsn() {
    assertThatThrownBy(() -> Serializer.forVsn("3.0.0", MAPPER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported vsn '3.0.0'");
  }

  @Test
  void writesBinaryPayloadsFromEveryBinaryForm() throws Exception {
    assertThat(OutboundPayload.of(new byte[] {1, 2}, MAPPER).bytes()).containsExactly(1, 2);
    ByteBuffer buffer = ByteBuffer.wrap(new byte[] {0, 1, 2, 3});
    buffer.position(1);
    assertThat(OutboundPayload.of(buffer, MAPPER).bytes()).containsExactly(1, 2, 3);
    assertThat(buffer.position()).as("the caller's buffer is not consumed").isEqualTo(1);
    assertThat(OutboundPayload.of(com.fasterxml.jackson.databind.node.BinaryNode.valueOf(new byte[] {5}), MAPPER)
        .bytes()).containsExactly(5);
    assertThat(OutboundPayload.of(null, MAPPER).json()).isEqualTo("{}");
  }

  private static byte[] bytes(Frame frame) {
    ByteBuffer data = frame.binary();
    byte[] out = new byte[data.remaining()];
    data.get(out);
    return out;
  }

  private static byte[] binary(JsonNode node) {
    try {
      return node.binaryValue();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
