package io.phoenixchannels.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** V2 frames as a Phoenix server writes them, built with Jackson, for tests that play the server. */
public final class ServerFrames {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ServerFrames() {}

  /** {@code [join_ref, ref, topic, "phx_reply", {"status": status, "response": response}]}. */
  public static String reply(String joinRef, String ref, String topic, String status, String responseJson) {
    ObjectNode payload = MAPPER.createObjectNode();
    payload.set("response", json(responseJson));
    payload.put("status", status);
    return frame(joinRef, ref, topic, "phx_reply", payload);
  }

  /** An ok reply with an empty response. */
  public static String ok(String joinRef, String ref, String topic) {
    return reply(joinRef, ref, topic, "ok", "{}");
  }

  /** A server push to one channel: {@code [join_ref, null, topic, event, payload]}. */
  public static String push(String joinRef, String topic, String event, String payloadJson) {
    return frame(joinRef, null, topic, event, json(payloadJson));
  }

  /** A broadcast: {@code [null, null, topic, event, payload]}. */
  public static String broadcast(String topic, String event, String payloadJson) {
    return frame(null, null, topic, event, json(payloadJson));
  }

  /** A heartbeat reply. */
  public static String heartbeatReply(String ref) {
    return reply(null, ref, "phoenix", "ok", "{}");
  }

  /** Any V2 frame. */
  public static String frame(String joinRef, String ref, String topic, String event, JsonNode payload) {
    ArrayNode frame = MAPPER.createArrayNode();
    frame.add(joinRef);
    frame.add(ref);
    frame.add(topic);
    frame.add(event);
    frame.add(payload);
    try {
      return MAPPER.writeValueAsString(frame);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  /** Parses JSON text. */
  public static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("bad JSON in a test: " + text, e);
    }
  }
}
