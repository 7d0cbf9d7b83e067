package io.phoenixchannels;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One message of the Phoenix Channels protocol, as the server sent it.
 *
 * <p>On the wire a V2 message is {@code [join_ref, ref, topic, event, payload]}. Server pushes carry the join
 * reference of the channel they belong to and no {@code ref}; broadcasts carry neither; replies
 * ({@code phx_reply}) carry the {@code ref} of the push they answer and a payload of the form
 * {@code {"status": ..., "response": ...}}.
 *
 * <p>The payload is always a Jackson {@link JsonNode}. A binary frame's payload is a
 * {@link com.fasterxml.jackson.databind.node.BinaryNode} ({@link JsonNode#isBinary()} tells); for a binary reply
 * the {@code response} field is the binary node. Messages are immutable and safe to keep and to pass between
 * threads.
 *
 * @param joinRef the join reference of the channel instance this message belongs to, or {@code null}
 * @param ref the message reference (set on replies and on pushes sent by a client), or {@code null}
 * @param topic the channel topic, for example {@code "room:lobby"}
 * @param event the event name, for example {@code "new_msg"} or {@code "phx_reply"}
 * @param payload the payload; never {@code null} (a JSON {@code null} is a
 *     {@link com.fasterxml.jackson.databind.node.NullNode})
 */
public record Message(String joinRef, String ref, String topic, String event, JsonNode payload) {

  /**
   * Checks the fields that are never absent.
   *
   * @param joinRef the join reference, or {@code null}
   * @param ref the message reference, or {@code null}
   * @param topic the topic
   * @param event the event
   * @param payload the payload
   * @throws NullPointerException if topic, event or payload is {@code null}
   */
  public Message {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(payload, "payload");
  }

  /**
   * Returns a copy of this message with another payload, for message hooks that rewrite payloads.
   *
   * @param newPayload the payload of the copy
   * @return a message equal to this one but for its payload
   */
  public Message withPayload(JsonNode newPayload) {
    return new Message(joinRef, ref, topic, event, newPayload);
  }

  /**
   * Tells whether this message is a reply ({@code phx_reply}) to a push.
   *
   * @return true for a reply
   */
  public boolean isReply() {
    return "phx_reply".equals(event);
  }
}
