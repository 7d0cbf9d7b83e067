package io.phoenixchannels.okhttp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.testing.ServerFrames;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import okhttp3.WebSocket;
import okio.ByteString;

/**
 * A few lines of a Phoenix channel server on MockWebServer's WebSocket, enough for a socket's round trips: joins
 * are accepted with {@code {"joined": topic}}, {@code echo} replies ok with its payload, {@code shout} broadcasts
 * its payload as {@code shouted} and replies ok, heartbeats and leaves reply ok, and a binary push (V2 binary
 * frame, kind 0) gets a binary ok reply (kind 1) with the same bytes. The real test server lives in its own module.
 */
final class PhoenixServerEnd extends ServerEnd {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    super.onMessage(webSocket, text);
    JsonNode frame = read(text);
    String joinRef = frame.get(0).isNull() ? null : frame.get(0).asText();
    String ref = frame.get(1).asText();
    String topic = frame.get(2).asText();
    String event = frame.get(3).asText();
    JsonNode payload = frame.get(4);
    switch (event) {
      case "phx_join" -> {
        ObjectNode joined = MAPPER.createObjectNode().put("joined", topic);
        webSocket.send(ServerFrames.reply(joinRef, ref, topic, "ok", joined.toString()));
      }
      case "echo" -> webSocket.send(ServerFrames.reply(joinRef, ref, topic, "ok", payload.toString()));
      case "shout" -> {
        webSocket.send(ServerFrames.broadcast(topic, "shouted", payload.toString()));
        webSocket.send(ServerFrames.ok(joinRef, ref, topic));
      }
      default -> webSocket.send(ServerFrames.ok(joinRef, ref, topic)); // heartbeat, phx_leave
    }
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    super.onMessage(webSocket, bytes);
    ByteBuffer push = ByteBuffer.wrap(bytes.toByteArray());
    if (push.get() != 0) {
      throw new AssertionError("expected a binary push (kind 0)");
    }
    String joinRef = string(push, push.get(1) & 0xff, 5);
    String ref = string(push, push.get(2) & 0xff, 5 + joinRef.length());
    String topic = string(push, push.get(3) & 0xff, 5 + joinRef.length() + ref.length());
    int eventLength = push.get(4) & 0xff;
    int payloadStart = 5 + joinRef.length() + ref.length() + topic.length() + eventLength;
    byte[] payload = new byte[push.limit() - payloadStart];
    push.get(payloadStart, payload);

    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    byte[] status = "ok".getBytes(StandardCharsets.UTF_8);
    reply.write(1);
    reply.write(joinRef.length());
    reply.write(ref.length());
    reply.write(topic.length());
    reply.write(status.length);
    reply.writeBytes(joinRef.getBytes(StandardCharsets.UTF_8));
    reply.writeBytes(ref.getBytes(StandardCharsets.UTF_8));
    reply.writeBytes(topic.getBytes(StandardCharsets.UTF_8));
    reply.writeBytes(status);
    reply.writeBytes(payload);
    webSocket.send(ByteString.of(reply.toByteArray()));
  }

  private static String string(ByteBuffer frame, int length, int offset) {
    byte[] bytes = new byte[length];
    frame.get(offset, bytes);
    return new String(bytes, StandardCharsets.UTF_8); // ASCII in these tests, so chars are bytes
  }

  private static JsonNode read(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("the client sent invalid JSON: " + text, e);
    }
  }
}
