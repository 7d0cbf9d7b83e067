package io.phoenixchannels.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Base64;

/**
 * One frame on the wire, in whichever of the three layouts it came: a V2 JSON array, a V1 JSON object, or a V2
 * binary frame. It knows where the layout keeps {@code join_ref} and {@code ref}, so that a trace frame can have
 * phoenix.js's refs swapped for the client's, and compares frames exactly otherwise: JSON as trees (key order aside,
 * every field and value must be equal; a V1 field phoenix.js left out must be left out), binary byte for byte.
 */
final class WireFrame {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonNode json;
  private final BinaryFrameLayout binary;

  private WireFrame(JsonNode json, BinaryFrameLayout binary) {
    this.json = json;
    this.binary = binary;
  }

  /** A frame of a trace line: {@code data} (text) or {@code data_b64} (binary). */
  static WireFrame fromTrace(JsonNode line) {
    boolean fromClient = "out".equals(line.path("dir").asText());
    if (line.hasNonNull("data_b64")) {
      byte[] bytes = Base64.getDecoder().decode(line.get("data_b64").asText());
      return new WireFrame(null, BinaryFrameLayout.decode(bytes, fromClient));
    }
    return new WireFrame(parse(line.get("data").asText()), null);
  }

  /** A frame the client sent through the fake transport: a {@code String} or a {@code byte[]}. */
  static WireFrame fromClient(Object sent) {
    if (sent instanceof byte[] bytes) {
      return new WireFrame(null, BinaryFrameLayout.decode(bytes, true));
    }
    return new WireFrame(parse((String) sent), null);
  }

  boolean isBinary() {
    return binary != null;
  }

  String topic() {
    return isBinary() ? binary.topic() : json.isArray() ? json.path(2).asText() : json.path("topic").asText();
  }

  String event() {
    return isBinary() ? binary.event() : json.isArray() ? json.path(3).asText() : json.path("event").asText();
  }

  String joinRef() {
    return isBinary() ? binary.joinRef() : text(json.isArray() ? json.get(0) : json.get("join_ref"));
  }

  String ref() {
    return isBinary() ? binary.ref() : text(json.isArray() ? json.get(1) : json.get("ref"));
  }

  boolean isHeartbeat() {
    return "phoenix".equals(topic()) && "heartbeat".equals(event());
  }

  /**
   * Checks that the client sent this trace frame: binds phoenix.js's refs to the client's, then compares the frame
   * with the refs swapped.
   *
   * @throws AssertionError naming both frames when they differ
   */
  void assertSentBy(WireFrame client, RefMap refs, String context) {
    if (isBinary() != client.isBinary()) {
      throw new AssertionError("phoenix.js sent a " + (isBinary() ? "binary" : "text") + " frame " + this
          + ", the client a " + (client.isBinary() ? "binary" : "text") + " frame " + client + " (" + context + ")");
    }
    refs.bind(joinRef(), client.joinRef(), "join_ref", context + ": phoenix.js " + this + ", client " + client);
    refs.bind(ref(), client.ref(), "ref", context + ": phoenix.js " + this + ", client " + client);
    WireFrame expected = withRefs(client.joinRef(), client.ref());
    boolean same = isBinary() ? Arrays.equals(expected.binary.encode(), client.binary.encode())
        : expected.json.equals(client.json);
    if (!same) {
      throw new AssertionError(context + ": the client sent\n  " + client + "\nwhere phoenix.js sent (refs mapped)\n  "
          + expected);
    }
  }

  /** This server frame with phoenix.js's refs replaced by the client's, as the server would have sent it. */
  Object forClient(RefMap refs, String context) {
    WireFrame mapped = withRefs(refs.toClient(joinRef(), context + " " + this), refs.toClient(ref(),
        context + " " + this));
    return mapped.isBinary() ? mapped.binary.encode() : mapped.text();
  }

  private WireFrame withRefs(String newJoinRef, String newRef) {
    if (isBinary()) {
      return new WireFrame(null, binary.withRefs(newJoinRef, newRef));
    }
    JsonNode copy = json.deepCopy();
    if (copy instanceof ArrayNode array) {
      array.set(0, newJoinRef == null ? array.nullNode() : array.textNode(newJoinRef));
      array.set(1, newRef == null ? array.nullNode() : array.textNode(newRef));
    } else if (copy instanceof ObjectNode object) {
      // V1: a field the frame does not have stays absent, as phoenix.js's heartbeat has no join_ref at all.
      if (object.has("join_ref")) {
        object.put("join_ref", newJoinRef);
      }
      if (object.has("ref")) {
        object.put("ref", newRef);
      }
    }
    return new WireFrame(copy, null);
  }

  private String text() {
    try {
      return MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  @Override
  public String toString() {
    return isBinary() ? binary.toString() : text();
  }
}
