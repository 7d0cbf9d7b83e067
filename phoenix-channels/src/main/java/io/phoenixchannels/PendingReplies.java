package io.phoenixchannels;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A channel's pushes that went out and wait for their reply, by ref. Used on the event loop only. */
final class PendingReplies {
  private final PhoenixSocket socket;
  private final String topic;
  private final Map<String, Push> byRef = new HashMap<>();

  PendingReplies(PhoenixSocket socket, String topic) {
    this.socket = socket;
    this.topic = topic;
  }

  void await(String ref, Push push) {
    byRef.put(ref, push);
  }

  /** The push waiting for this ref, or null. */
  Push get(String ref) {
    return byRef.get(ref);
  }

  void forget(String ref) {
    byRef.remove(ref);
  }

  /**
   * Hands a {@code phx_reply} to the push waiting for its ref, if any.
   *
   * @return false for a reply without a string status, which is reported to the socket's error listeners instead
   */
  boolean route(Message message) {
    JsonNode payload = message.payload();
    JsonNode status = payload.get("status");
    if (!payload.isObject() || status == null || !status.isTextual()) {
      socket.reportError(new ProtocolException("malformed reply on '" + topic + "' (ref " + message.ref()
          + "): the payload needs a string status, got " + abbreviate(payload)));
      return false;
    }
    Push push = message.ref() == null ? null : byRef.remove(message.ref());
    if (push != null) {
      push.replied(new Reply(status.asText(), payload.get("response"), null, socket.mapper()));
    }
    return true;
  }

  /** Fails every push still waiting: its reply cannot come any more. */
  void failAll(PhoenixException why) {
    for (Push push : List.copyOf(byRef.values())) {
      push.fail(why);
    }
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
