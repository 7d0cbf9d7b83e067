package io.phoenixchannels.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/** A V2 (JSON array) client over {@link RawWebSocket}, for asserting exactly what the server sends. */
final class WireClient implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(5);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final RawWebSocket socket;

  private WireClient(RawWebSocket socket) {
    this.socket = socket;
  }

  static WireClient connect(PhoenixTestServer server, String query) throws IOException {
    return connect(server, query, Map.of());
  }

  static WireClient connect(PhoenixTestServer server, String query, Map<String, String> headers)
      throws IOException {
    RawWebSocket.Handshake handshake = RawWebSocket.connect(server.port(), "/socket/websocket?" + query, headers);
    if (handshake.status() != 101) {
      throw new AssertionError("upgrade refused with " + handshake.status());
    }
    return new WireClient(handshake.socket());
  }

  RawWebSocket raw() {
    return socket;
  }

  void send(String joinRef, String ref, String topic, String event, Object payload) throws IOException {
    ArrayNode frame = MAPPER.createArrayNode();
    frame.add(joinRef);
    frame.add(ref);
    frame.add(topic);
    frame.add(event);
    frame.add(MAPPER.valueToTree(payload));
    socket.sendText(MAPPER.writeValueAsString(frame));
  }

  /** The next frame, which must be a text frame, as a JSON tree. */
  JsonNode next() throws Exception {
    RawWebSocket.Frame frame = socket.take(WAIT);
    if (frame.opcode() != RawWebSocket.Frame.TEXT) {
      throw new AssertionError("expected a text frame, got " + frame);
    }
    return MAPPER.readTree(frame.text());
  }

  /** The next frame, which must be exactly this one (written as JSON, single quotes for double). */
  JsonNode expect(String json) throws Exception {
    JsonNode expected = MAPPER.readTree(json.replace('\'', '"'));
    JsonNode actual = next();
    if (!expected.equals(actual)) {
      throw new AssertionError("expected " + expected + "\n     got " + actual);
    }
    return actual;
  }

  /** Joins and returns the reply. */
  JsonNode join(String joinRef, String topic, Object params) throws Exception {
    send(joinRef, joinRef, topic, "phx_join", params);
    return next();
  }

  /** Proves nothing else is queued: a heartbeat's reply must be the next frame. */
  void expectNothingMore() throws Exception {
    send(null, "quiet-check", "phoenix", "heartbeat", Map.of());
    expect("[null,'quiet-check','phoenix','phx_reply',{'response':{},'status':'ok'}]");
  }

  int awaitClose() throws InterruptedException {
    return socket.awaitClose(WAIT);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
