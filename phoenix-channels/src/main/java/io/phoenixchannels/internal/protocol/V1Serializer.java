package io.phoenixchannels.internal.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.Message;
import io.phoenixchannels.ProtocolException;
import java.util.Objects;

/** Phoenix's V1 serializer: JSON objects; no binary frames in either direction. */
public final class V1Serializer implements Serializer {
  private final ObjectMapper mapper;

  public V1Serializer(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  public String vsn() {
    return V1;
  }

  @Override
  public boolean supportsBinary() {
    return false;
  }

  @Override
  public Frame encode(OutboundMessage m) {
    if (m.payload().isBinary()) {
      throw new IllegalArgumentException("binary payloads need the V2 serializer (vsn " + V2 + ")");
    }
    return Frame.text(JsonFrames.encodeV1(mapper, m.joinRef(), m.ref(), m.topic(), m.event(), m.payload().json()));
  }

  @Override
  public Message decode(Frame frame) {
    if (!frame.isText()) {
      throw new ProtocolException("binary frame received with the V1 serializer, which has no binary layout");
    }
    return JsonFrames.decodeV1(mapper, frame.text());
  }
}
