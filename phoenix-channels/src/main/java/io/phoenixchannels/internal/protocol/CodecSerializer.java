package io.phoenixchannels.internal.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import io.phoenixchannels.Message;
import io.phoenixchannels.MessageCodec;
import java.nio.ByteBuffer;

/** Adapts a user's {@link MessageCodec} to the socket: payloads travel as Jackson trees, not as JSON text. */
public final class CodecSerializer implements Serializer {
  private final MessageCodec codec;

  public CodecSerializer(MessageCodec codec) {
    this.codec = codec;
  }

  @Override
  public String vsn() {
    return codec.vsn();
  }

  @Override
  public boolean supportsBinary() {
    return true;
  }

  @Override
  public OutboundPayload prepare(Object payload, ObjectMapper mapper) throws JsonProcessingException {
    if (payload == null) {
      return OutboundPayload.tree(mapper.createObjectNode());
    }
    if (payload instanceof byte[] || payload instanceof ByteBuffer || payload instanceof BinaryNode) {
      return OutboundPayload.of(payload, mapper);
    }
    try {
      return OutboundPayload.tree(mapper.valueToTree(payload));
    } catch (IllegalArgumentException e) {
      if (e.getCause() instanceof JsonProcessingException cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Override
  public Frame encode(OutboundMessage m) {
    JsonNode payload = m.payload().tree();
    Object encoded = codec.encode(new Message(m.joinRef(), m.ref(), m.topic(), m.event(), payload));
    if (encoded instanceof String text) {
      return Frame.text(text);
    }
    if (encoded instanceof byte[] bytes) {
      return Frame.binary(bytes);
    }
    if (encoded instanceof ByteBuffer buffer) {
      return Frame.binary(buffer);
    }
    throw new IllegalStateException("MessageCodec.encode must return a String, byte[] or ByteBuffer, not "
        + (encoded == null ? "null" : encoded.getClass().getName()));
  }

  @Override
  public Message decode(Frame frame) {
    return frame.isText() ? codec.decode(frame.text()) : codec.decode(frame.binary());
  }
}
