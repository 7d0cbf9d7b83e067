package io.phoenixchannels.internal.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.Message;
import io.phoenixchannels.ProtocolException;

/** Turns messages into frames and back, on the client's side of the wire. Stateless and thread-safe. */
public interface Serializer {
  /** The vsn of Phoenix's V2 serializer: JSON arrays and binary frames. */
  String V2 = "2.0.0";
  /** The vsn of Phoenix's V1 serializer: JSON objects, no binary. */
  String V1 = "1.0.0";

  /** The {@code vsn} query parameter this serializer is chosen by. */
  String vsn();

  /** Whether binary payloads can be sent. */
  boolean supportsBinary();

  /**
   * Writes a pushed payload for this serializer, on the pushing thread.
   *
   * @throws JsonProcessingException if Jackson cannot write it
   */
  default OutboundPayload prepare(Object payload, ObjectMapper mapper) throws JsonProcessingException {
    return OutboundPayload.of(payload, mapper);
  }

  /** Encodes an outbound message. */
  Frame encode(OutboundMessage message);

  /**
   * Decodes an inbound frame.
   *
   * @throws ProtocolException if the frame is malformed
   */
  Message decode(Frame frame);

  /**
   * Returns the serializer for a vsn.
   *
   * @throws IllegalArgumentException for a vsn Phoenix has no serializer for
   */
  static Serializer forVsn(String vsn, ObjectMapper mapper) {
    return switch (vsn) {
      case V2 -> new V2Serializer(mapper);
      case V1 -> new V1Serializer(mapper);
      default -> throw new IllegalArgumentException(
          "unsupported vsn '" + vsn + "': Phoenix serializers are " + V2 + " (default) and " + V1);
    };
  }
}
