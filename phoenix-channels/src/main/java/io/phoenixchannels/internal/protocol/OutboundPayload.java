package io.phoenixchannels.internal.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import java.nio.ByteBuffer;

/**
 * A payload ready to go out: JSON text already written by Jackson, or raw bytes for a V2 binary frame.
 *
 * <p>Payloads are written when they are pushed, on the pushing thread, so that a caller may change its object
 * afterwards without racing the event loop, and so that a payload Jackson cannot write fails the push at once.
 */
public final class OutboundPayload {
  private static final OutboundPayload EMPTY_OBJECT = new OutboundPayload("{}", null);
  private static final ObjectMapper PARSER = new ObjectMapper();

  private final String json;
  private final byte[] bytes;
  private final JsonNode tree;

  private OutboundPayload(String json, byte[] bytes) {
    this(json, bytes, null);
  }

  private OutboundPayload(String json, byte[] bytes, JsonNode tree) {
    this.json = json;
    this.bytes = bytes;
    this.tree = tree;
  }

  /** The payload {@code {}}. */
  public static OutboundPayload emptyObject() {
    return EMPTY_OBJECT;
  }

  /** A JSON payload already written as text (must be one valid JSON value). */
  public static OutboundPayload json(String json) {
    return new OutboundPayload(json, null);
  }

  /** A payload kept as a Jackson tree, for custom codecs. */
  public static OutboundPayload tree(JsonNode tree) {
    return new OutboundPayload(null, null, tree);
  }

  /** A binary payload (the array is not copied). */
  public static OutboundPayload binary(byte[] bytes) {
    return new OutboundPayload(null, bytes);
  }

  /**
   * Writes a payload: {@code byte[]}, {@link ByteBuffer} (its remaining bytes) and {@link BinaryNode} become binary;
   * {@code null} becomes {@code {}} as in phoenix.js; anything else is written as JSON by the mapper.
   *
   * @throws JsonProcessingException if Jackson cannot write the value
   */
  public static OutboundPayload of(Object payload, ObjectMapper mapper) throws JsonProcessingException {
    if (payload == null) {
      return EMPTY_OBJECT;
    }
    if (payload instanceof byte[]) {
      return binary(((byte[]) payload).clone());
    }
    if (payload instanceof ByteBuffer) {
      ByteBuffer buffer = ((ByteBuffer) payload).duplicate();
      byte[] copy = new byte[buffer.remaining()];
      buffer.get(copy);
      return binary(copy);
    }
    if (payload instanceof BinaryNode) {
      return binary(((BinaryNode) payload).binaryValue().clone());
    }
    return json(mapper.writeValueAsString(payload));
  }

  public boolean isBinary() {
    return bytes != null;
  }

  /** The JSON text, or {@code null} for a binary payload. */
  public String json() {
    return json;
  }

  /** The bytes of a binary payload (shared, do not modify), or {@code null}. */
  public byte[] bytes() {
    return bytes;
  }

  /**
   * The payload as a Jackson tree: the tree it was kept as, binary as a {@link BinaryNode}, or JSON text parsed.
   */
  public JsonNode tree() {
    if (tree != null) {
      return tree;
    }
    if (bytes != null) {
      return BinaryNode.valueOf(bytes);
    }
    try {
      return PARSER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("payload JSON written by Jackson cannot be read back: " + json, e);
    }
  }

  @Override
  public String toString() {
    return bytes != null ? "<binary " + bytes.length + " bytes>" : json != null ? json : tree.toString();
  }
}
