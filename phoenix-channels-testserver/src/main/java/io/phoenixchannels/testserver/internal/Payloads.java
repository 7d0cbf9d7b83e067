package io.phoenixchannels.testserver.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.ByteBuffer;

/** Turns what handlers hand the server (maps, records, JsonNodes, bytes) into JSON trees or raw bytes. */
public final class Payloads {
  private Payloads() {}

  /** Whether a payload goes out as a binary frame. */
  public static boolean isBinary(Object payload) {
    return payload instanceof byte[] || payload instanceof ByteBuffer || payload instanceof BinaryNode;
  }

  /** The bytes of a binary payload (copied). */
  public static byte[] bytes(Object payload) {
    if (payload instanceof byte[] array) {
      return array.clone();
    }
    if (payload instanceof ByteBuffer buffer) {
      ByteBuffer view = buffer.duplicate();
      byte[] copy = new byte[view.remaining()];
      view.get(copy);
      return copy;
    }
    return ((BinaryNode) payload).binaryValue().clone();
  }

  /**
   * A JSON payload as a tree: {@code null} becomes {@code {}} as in Phoenix.
   *
   * @throws IllegalArgumentException if Jackson cannot write it
   */
  public static JsonNode json(Object payload, ObjectMapper mapper) {
    if (payload == null) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (payload instanceof JsonNode node) {
      return node;
    }
    return mapper.valueToTree(payload);
  }
}
