package io.phoenixchannels.internal.protocol;

import java.util.Objects;

/** A message on its way to the server: refs, topic, event and an already written payload. */
public record OutboundMessage(String joinRef, String ref, String topic, String event, OutboundPayload payload) {
  public OutboundMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(payload, "payload");
  }
}
