package io.phoenixchannels.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The V2 binary frame layouts of {@code conformance/README.md}, written independently of the client's own codec so
 * that the replay does not check the client against itself. Every meta length is one unsigned byte.
 *
 * <ul>
 *   <li>client push (kind 0): {@code join_ref, ref, topic, event}</li>
 *   <li>server push (kind 0): {@code join_ref, topic, event} (no ref)</li>
 *   <li>server reply (kind 1): {@code join_ref, ref, topic, status}</li>
 *   <li>server broadcast (kind 2): {@code topic, event}</li>
 * </ul>
 *
 * @param kind 0 push, 1 reply, 2 broadcast
 * @param fromClient true for a frame the client sent: kind 0 then carries a ref
 * @param joinRef the join_ref, or {@code null} where the layout has none
 * @param ref the ref, or {@code null} where the layout has none
 * @param topic the topic
 * @param event the event, or for a reply its status
 * @param payload the raw payload bytes
 */
record BinaryFrameLayout(int kind, boolean fromClient, String joinRef, String ref, String topic, String event,
    byte[] payload) {
  static final int PUSH = 0;
  static final int REPLY = 1;
  static final int BROADCAST = 2;

  static BinaryFrameLayout decode(byte[] bytes, boolean fromClient) {
    int kind = bytes[0] & 0xff;
    int[] lengths;
    switch (kind) {
      case PUSH -> lengths = fromClient ? new int[] {1, 2, 3, 4} : new int[] {1, 3, 4};
      case REPLY -> lengths = new int[] {1, 2, 3, 4};
      case BROADCAST -> lengths = new int[] {3, 4};
      default -> throw new AssertionError("unknown binary frame kind " + kind + ": " + Arrays.toString(bytes));
    }
    // lengths holds which of join_ref(1), ref(2), topic(3), event(4) the layout has, in order.
    String[] fields = new String[5];
    int offset = 1 + lengths.length;
    for (int i = 0; i < lengths.length; i++) {
      int length = bytes[1 + i] & 0xff;
      fields[lengths[i]] = new String(bytes, offset, length, StandardCharsets.UTF_8);
      offset += length;
    }
    byte[] payload = Arrays.copyOfRange(bytes, offset, bytes.length);
    return new BinaryFrameLayout(kind, fromClient, fields[1], fields[2], fields[3], fields[4], payload);
  }

  byte[] encode() {
    String[] metas = switch (kind) {
      case PUSH -> fromClient ? new String[] {joinRef, ref, topic, event} : new String[] {joinRef, topic, event};
      case REPLY -> new String[] {joinRef, ref, topic, event};
      case BROADCAST -> new String[] {topic, event};
      default -> throw new AssertionError("unknown binary frame kind " + kind);
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(kind);
    byte[][] encoded = new byte[metas.length][];
    for (int i = 0; i < metas.length; i++) {
      encoded[i] = (metas[i] == null ? "" : metas[i]).getBytes(StandardCharsets.UTF_8);
      out.write(encoded[i].length);
    }
    for (byte[] meta : encoded) {
      out.writeBytes(meta);
    }
    out.writeBytes(payload);
    return out.toByteArray();
  }

  BinaryFrameLayout withRefs(String newJoinRef, String newRef) {
    return new BinaryFrameLayout(kind, fromClient, newJoinRef, newRef, topic, event, payload);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BinaryFrameLayout that && Arrays.equals(encode(), that.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "binary{kind=" + kind + ", join_ref=" + joinRef + ", ref=" + ref + ", topic=" + topic + ", event=" + event
        + ", payload=" + Arrays.toString(payload) + "}";
  }
}
