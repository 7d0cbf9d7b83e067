package io.phoenixchannels.testserver.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.Message;
import io.phoenixchannels.ProtocolException;
import io.phoenixchannels.internal.protocol.BinaryFrames;
import io.phoenixchannels.internal.protocol.Frame;
import io.phoenixchannels.internal.protocol.JsonFrames;

/**
 * The server's side of Phoenix's serializers: V2 (JSON arrays, binary frames) and V1 (JSON objects without
 * join_ref, no binary). Reuses the client's frame layouts; stateless and thread-safe.
 */
final class WireCodec {
  public static final String V1 = "1.0.0";
  public static final String V2 = "2.0.0";

  private final ObjectMapper mapper;
  private final boolean v2;

  /** A codec for a serializer version, {@link #V1} or {@link #V2}. */
  WireCodec(ObjectMapper mapper, String vsn) {
    this.mapper = mapper;
    this.v2 = V2.equals(vsn);
  }

  /** Tells whether this is the V2 serializer. */
  boolean isV2() {
    return v2;
  }

  /**
   * Encodes a message for the wire.
   *
   * @throws IllegalArgumentException for a binary payload over V1, or a meta field over 255 bytes in a binary frame
   */
  Frame encode(ServerMessage m) {
    if (m.isBinary()) {
      if (!v2) {
        throw new IllegalArgumentException("binary payloads need the V2 serializer; this client uses V1 (vsn "
            + V1 + ")");
      }
      return Frame.binary(switch (m.kind()) {
        case PUSH -> BinaryFrames.encodeServerPush(m.joinRef(), m.topic(), m.event(), m.binary());
        case REPLY -> BinaryFrames.encodeReply(m.joinRef(), m.ref(), m.topic(), m.status(), m.binary());
        case BROADCAST -> BinaryFrames.encodeBroadcast(m.topic(), m.event(), m.binary());
      });
    }
    JsonNode payload = m.kind() == ServerMessage.Kind.REPLY ? replyPayload(m.status(), m.json()) : m.json();
    if (v2) {
      return Frame.text(JsonFrames.encodeV2(mapper, m.joinRef(), m.ref(), m.topic(), m.event(), write(payload)));
    }
    // Phoenix's V1 serializer writes no join_ref.
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    object.put("event", m.event());
    object.set("payload", payload);
    object.put("ref", m.ref());
    object.put("topic", m.topic());
    return Frame.text(write(object));
  }

  /** The message as a client decodes the frame {@link #encode} makes, for the recording. */
  Message asClientSees(ServerMessage m) {
    JsonNode body = m.isBinary() ? BinaryNode.valueOf(m.binary()) : m.json();
    JsonNode payload = m.kind() == ServerMessage.Kind.REPLY ? replyPayload(m.status(), body) : body;
    return new Message(v2 ? m.joinRef() : null, m.ref(), m.topic(), m.event(), payload);
  }

  /**
   * Decodes a client frame.
   *
   * @throws ProtocolException for malformed JSON, a wrong shape, an unknown binary kind, or binary over V1
   */
  Message decode(Frame frame) {
    if (!v2) {
      if (!frame.isText()) {
        throw new ProtocolException("binary frame over the V1 serializer, which has no binary layout");
      }
      return JsonFrames.decodeV1(mapper, frame.text());
    }
    return frame.isText()
        ? decodeV2(frame.text())
        : BinaryFrames.decodeClientPush(frame.binary());
  }

  /**
   * Phoenix's V2 serializer reads the first five elements and ignores any after them; the shared decoder, which the
   * client uses too, insists on five. A longer array is decoded again as its first five elements, so every other
   * check stays the shared decoder's.
   */
  private Message decodeV2(String text) {
    try {
      return JsonFrames.decodeV2(mapper, text);
    } catch (ProtocolException strict) {
      JsonNode tree;
      try {
        tree = mapper.readTree(text);
      } catch (JsonProcessingException notJson) {
        throw strict;
      }
      if (!(tree instanceof ArrayNode array) || array.size() <= 5) {
        throw strict;
      }
      ArrayNode firstFive = array.arrayNode();
      for (int i = 0; i < 5; i++) {
        firstFive.add(array.get(i));
      }
      return JsonFrames.decodeV2(mapper, write(firstFive));
    }
  }

  private static ObjectNode replyPayload(String status, JsonNode response) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.set("response", response);
    payload.put("status", status);
    return payload;
  }

  private String write(JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write a payload as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
