package io.phoenixchannels.testserver.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.testserver.internal.ServerMessage.Kind;
import java.util.Objects;

/**
 * A message on its way to a client, before a serializer turns it into a frame: a push, a broadcast, or a reply.
 * Exactly one of {@code json} and {@code binary} is set.
 */
public record ServerMessage(Kind kind, String joinRef, String ref, String topic, String event, String status,
    JsonNode json, byte[] binary) {

  /** The three shapes a server message takes on the wire. */
  public enum Kind {
    /** {@code [join_ref, null, topic, event, payload]}; also phx_close and phx_error (with ref = join_ref). */
    PUSH,
    /** {@code [join_ref, ref, topic, "phx_reply", {"status", "response"}]}. */
    REPLY,
    /** {@code [null, null, topic, event, payload]}. */
    BROADCAST
  }

  public ServerMessage {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(topic, "topic");
    if ((json == null) == (binary == null)) {
      throw new IllegalArgumentException("a message has either a JSON or a binary payload");
    }
  }

  /** Builds a message from a handler's payload object. */
  public static ServerMessage of(Kind kind, String joinRef, String ref, String topic, String event, String status,
      Object payload, ObjectMapper mapper) {
    if (Payloads.isBinary(payload)) {
      return new ServerMessage(kind, joinRef, ref, topic, event, status, null, Payloads.bytes(payload));
    }
    return new ServerMessage(kind, joinRef, ref, topic, event, status, Payloads.json(payload, mapper), null);
  }

  /** A push to one channel: {@code [join_ref, null, topic, event, payload]}. */
  public static ServerMessage push(String joinRef, String topic, String event, Object payload, ObjectMapper mapper) {
    return of(Kind.PUSH, joinRef, null, topic, event, null, payload, mapper);
  }

  /** A reply to a client message, with the status and response. */
  public static ServerMessage reply(String joinRef, String ref, String topic, String status, Object response,
      ObjectMapper mapper) {
    return of(Kind.REPLY, joinRef, ref, topic, "phx_reply", status, response, mapper);
  }

  /** A broadcast to every subscriber of a topic. */
  public static ServerMessage broadcast(String topic, String event, Object payload, ObjectMapper mapper) {
    return of(Kind.BROADCAST, null, null, topic, event, null, payload, mapper);
  }

  /** phx_close and phx_error: a push whose ref is the join_ref, as Phoenix sends them. */
  public static ServerMessage control(String joinRef, String topic, String event, JsonNode payload) {
    return new ServerMessage(Kind.PUSH, joinRef, joinRef, topic, event, null, payload, null);
  }

  /** Tells whether it goes out as a binary frame (V2 only). */
  public boolean isBinary() {
    return binary != null;
  }
}
