package io.phoenixchannels.internal.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.Message;
import java.util.Objects;

/** Phoenix's V2 serializer: JSON arrays for JSON payloads, binary frames for binary payloads. */
public final class V2Serializer implements Serializer {
  private final ObjectMapper mapper;

  public V2Serializer(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  public String vsn() {
    return V2;
  }

  @Override
  public boolean supportsBinary() {
    return true;
  }

  @Override
  public Frame encode(OutboundMessage m) {
    if (m.payload().isBinary()) {
      return Frame.binary(
          BinaryFrames.encodeClientPush(m.joinRef(), m.ref(), m.topic(), m.event(), m.payload().bytes()));
    }
    return Frame.text(JsonFrames.encodeV2(mapper, m.joinRef(), m.ref(), m.topic(), m.event(), m.payload().json()));
  }

  @Override
  public Message decode(Frame frame) {
    return frame.isText()
        ? JsonFrames.decodeV2(mapper, frame.text())
        : BinaryFrames.decodeServerFrame(frame.binary());
  }
}
