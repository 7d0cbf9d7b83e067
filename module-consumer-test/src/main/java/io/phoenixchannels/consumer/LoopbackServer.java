package io.phoenixchannels.consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.nio.ByteBuffer;

/**
 * A transport written outside the library, through its exported SPI: a Phoenix server in miniature that accepts
 * joins and answers every other push with an ok reply carrying the push's payload. It answers on the thread that
 * sent, which the SPI allows.
 */
final class LoopbackServer implements Transport.Factory {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public Transport open(TransportRequest request, Transport.Listener listener) {
    listener.onOpen();
    return new Transport() {
      @Override
      public void sendText(String text) {
        try {
          JsonNode push = MAPPER.readTree(text);
          ArrayNode reply = MAPPER.createArrayNode().add(push.get(0)).add(push.get(1)).add(push.get(2))
              .add("phx_reply");
          reply.addObject().put("status", "ok").set("response", push.get(4));
          listener.onText(MAPPER.writeValueAsString(reply));
        } catch (JsonProcessingException e) {
          listener.onError(e);
        }
      }

      @Override
      public void sendBinary(ByteBuffer data) {
        listener.onError(new UnsupportedOperationException("no binary frames here"));
      }

      @Override
      public void close(int code, String reason) {
        listener.onClose(code, reason);
      }

      @Override
      public void abort() {}
    };
  }
}
