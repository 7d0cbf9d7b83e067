package io.phoenixchannels.internal.protocol;

import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.Message;
import io.phoenixchannels.ProtocolException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The V2 binary layouts. Every length is one unsigned byte and every string UTF-8:
 *
 * <pre>
 * client push:      0x00 join_ref_len ref_len topic_len event_len  join_ref ref topic event  payload
 * server push:      0x00 join_ref_len topic_len event_len  join_ref topic event  payload   (no ref)
 * server reply:     0x01 join_ref_len ref_len topic_len status_len  join_ref ref topic status  payload
 * server broadcast: 0x02 topic_len event_len  topic event  payload
 * </pre>
 */
public final class BinaryFrames {
  public static final byte PUSH = 0;
  public static final byte REPLY = 1;
  public static final byte BROADCAST = 2;
  /** The largest meta field (join_ref, ref, topic, event or status) in UTF-8 bytes. */
  public static final int MAX_META_BYTES = 255;

  private BinaryFrames() {}

  /** Encodes a client push (kind 0 with a ref). */
  public static byte[] encodeClientPush(String joinRef, String ref, String topic, String event, byte[] payload) {
    return encode(PUSH, payload, new String[] {"join_ref", "ref", "topic", "event"},
        nullToEmpty(joinRef), nullToEmpty(ref), topic, event);
  }

  /** Encodes a server push (kind 0, no ref). */
  public static byte[] encodeServerPush(String joinRef, String topic, String event, byte[] payload) {
    return encode(PUSH, payload, new String[] {"join_ref", "topic", "event"}, nullToEmpty(joinRef), topic, event);
  }

  /** Encodes a server reply (kind 1). */
  public static byte[] encodeReply(String joinRef, String ref, String topic, String status, byte[] payload) {
    return encode(REPLY, payload, new String[] {"join_ref", "ref", "topic", "status"},
        nullToEmpty(joinRef), nullToEmpty(ref), topic, status);
  }

  /** Encodes a server broadcast (kind 2). */
  public static byte[] encodeBroadcast(String topic, String event, byte[] payload) {
    return encode(BROADCAST, payload, new String[] {"topic", "event"}, topic, event);
  }

  /**
   * Checks that a meta field fits a binary frame.
   *
   * @throws IllegalArgumentException naming the field when it is over 255 UTF-8 bytes
   */
  public static byte[] metaBytes(String name, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_META_BYTES) {
      throw new IllegalArgumentException(name + " is " + bytes.length + " UTF-8 bytes; a binary frame allows at most "
          + MAX_META_BYTES + ": '" + abbreviate(value) + "'");
    }
    return bytes;
  }

  private static byte[] encode(byte kind, byte[] payload, String[] names, String... fields) {
    byte[][] meta = new byte[fields.length][];
    int size = 1 + fields.length + payload.length;
    for (int i = 0; i < fields.length; i++) {
      meta[i] = metaBytes(names[i], fields[i]);
      size += meta[i].length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(kind);
    for (byte[] field : meta) {
      out.put((byte) field.length);
    }
    for (byte[] field : meta) {
      out.put(field);
    }
    out.put(payload);
    return out.array();
  }

  /**
   * Decodes a frame the server sent: push, reply or broadcast. A reply becomes a {@code phx_reply} message whose
   * payload is {@code {"status": status, "response": <binary>}}, as phoenix.js presents it.
   *
   * @throws ProtocolException for an unknown kind, truncated frame or invalid UTF-8
   */
  public static Message decodeServerFrame(ByteBuffer frame) {
    ByteBuffer in = frame.duplicate();
    try {
      byte kind = in.get();
      switch (kind) {
        case PUSH -> {
          int joinRefLen = unsigned(in.get());
          int topicLen = unsigned(in.get());
          int eventLen = unsigned(in.get());
          String joinRef = utf8(in, joinRefLen, "join_ref");
          String topic = utf8(in, topicLen, "topic");
          String event = utf8(in, eventLen, "event");
          return new Message(emptyToNull(joinRef), null, topic, event, rest(in));
        }
        case REPLY -> {
          int joinRefLen = unsigned(in.get());
          int refLen = unsigned(in.get());
          int topicLen = unsigned(in.get());
          int statusLen = unsigned(in.get());
          String joinRef = utf8(in, joinRefLen, "join_ref");
          String ref = utf8(in, refLen, "ref");
          String topic = utf8(in, topicLen, "topic");
          String status = utf8(in, statusLen, "status");
          ObjectNode payload = JsonNodeFactory.instance.objectNode();
          payload.put("status", status);
          payload.set("response", rest(in));
          return new Message(emptyToNull(joinRef), emptyToNull(ref), topic, "phx_reply", payload);
        }
        case BROADCAST -> {
          int topicLen = unsigned(in.get());
          int eventLen = unsigned(in.get());
          String topic = utf8(in, topicLen, "topic");
          String event = utf8(in, eventLen, "event");
          return new Message(null, null, topic, event, rest(in));
        }
        default -> throw new ProtocolException("malformed binary frame: unknown kind " + unsigned(kind));
      }
    } catch (BufferUnderflowException e) {
      throw new ProtocolException("malformed binary frame: truncated (" + frame.remaining() + " bytes)", e);
    }
  }

  /**
   * Decodes a client push (kind 0 with a ref), for the server side.
   *
   * @throws ProtocolException for another kind, a truncated frame or invalid UTF-8
   */
  public static Message decodeClientPush(ByteBuffer frame) {
    ByteBuffer in = frame.duplicate();
    try {
      byte kind = in.get();
      if (kind != PUSH) {
        throw new ProtocolException("malformed binary frame: a client sends only kind 0, got " + unsigned(kind));
      }
      int joinRefLen = unsigned(in.get());
      int refLen = unsigned(in.get());
      int topicLen = unsigned(in.get());
      int eventLen = unsigned(in.get());
      String joinRef = utf8(in, joinRefLen, "join_ref");
      String ref = utf8(in, refLen, "ref");
      String topic = utf8(in, topicLen, "topic");
      String event = utf8(in, eventLen, "event");
      return new Message(emptyToNull(joinRef), emptyToNull(ref), topic, event, rest(in));
    } catch (BufferUnderflowException e) {
      throw new ProtocolException("malformed binary frame: truncated (" + frame.remaining() + " bytes)", e);
    }
  }

  private static BinaryNode rest(ByteBuffer in) {
    byte[] data = new byte[in.remaining()];
    in.get(data);
    return BinaryNode.valueOf(data);
  }

  private static String utf8(ByteBuffer in, int length, String field) {
    if (in.remaining() < length) {
      throw new ProtocolException("malformed binary frame: " + field + " needs " + length + " bytes, "
          + in.remaining() + " left");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    if (isAscii(bytes)) {
      // Refs, topics, events and statuses are ASCII in practice: no decoder, and ASCII is Latin-1 as it stands.
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    ByteBuffer slice = ByteBuffer.wrap(bytes);
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(slice);
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolException("malformed binary frame: " + field + " is not valid UTF-8", e);
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  private static int unsigned(byte b) {
    return b & 0xff;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
