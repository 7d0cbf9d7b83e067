package io.phoenixchannels.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays the client side of a WebSocket trace against a test server and checks that the server sends what real
 * Phoenix sent, connection by connection and in order (frames of different connections are not ordered against
 * each other, as on the real server).
 *
 * <p>Before each client frame, every server frame the trace shows before it must have arrived: so causally
 * dependent frames keep their order, and timing only decides how long we wait. Before the client closes a
 * connection, all of its remaining recorded frames must arrive, then a heartbeat round trip proves nothing else
 * was sent.
 */
final class WebSocketTraceReplay {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final List<JsonNode> lines;
  private final int port;
  private final Set<String> allowedExtraEvents;
  private final ReplayMapping mapping = new ReplayMapping();
  private final Map<String, Conn> conns = new HashMap<>();
  private final Map<String, List<Integer>> expectedIn = new HashMap<>();
  private int barriers;

  /** One client connection of the trace: its socket and how many of its recorded server frames were matched. */
  private static final class Conn {
    RawWebSocket socket;
    boolean v1;
    int matched;
  }

  /**
   * @param allowedExtraEvents server events that may arrive beyond the recording just before the client closes
   *     (where the recording client closed before the real server's frames reached it)
   */
  WebSocketTraceReplay(List<JsonNode> lines, int port, Set<String> allowedExtraEvents) {
    this.lines = lines;
    this.port = port;
    this.allowedExtraEvents = allowedExtraEvents;
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      if (line.path("dir").asText().equals("in")) {
        expectedIn.computeIfAbsent(line.path("conn").asText(), c -> new ArrayList<>()).add(i);
      }
    }
  }

  void run() throws Exception {
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      String conn = line.path("conn").asText();
      switch (line.path("dir").asText()) {
        case "meta" -> meta(i, line, conn);
        case "http_req" -> rawRequest(i, line, conn);
        case "out" -> {
          awaitAllBefore(i);
          Conn c = conns.get(conn);
          if (c == null || c.socket == null) {
            throw new AssertionError("line " + (i + 1) + ": the trace sends on " + conn + ", which is not open");
          }
          if (line.has("data")) {
            c.socket.sendText(line.get("data").asText());
          } else {
            c.socket.sendBinary(Base64.getDecoder().decode(line.get("data_b64").asText()));
          }
        }
        default -> { }
      }
    }
    for (Map.Entry<String, Conn> entry : conns.entrySet()) {
      finish(entry.getKey(), entry.getValue());
    }
  }

  private void meta(int index, JsonNode line, String conn) throws Exception {
    switch (line.path("event").asText()) {
      case "connect" -> connect(index, line, conn);
      case "client_close_called" -> {
        Conn c = conns.get(conn);
        if (c != null && c.socket != null) {
          finish(conn, c);
        }
      }
      default -> { }
    }
  }

  /** A phoenix.js connect: what happened next in the trace (101, 403, or a client-side refusal) must happen here. */
  private void connect(int index, JsonNode line, String conn) throws Exception {
    JsonNode outcome = null;
    for (int j = index + 1; j < lines.size() && outcome == null; j++) {
      JsonNode next = lines.get(j);
      if (next.path("conn").asText().equals(conn) && next.path("dir").asText().equals("meta")
          && Set.of("upgrade", "error", "constructor_threw").contains(next.path("event").asText())) {
        outcome = next;
      }
    }
    if (outcome == null) {
      throw new AssertionError("line " + (index + 1) + ": no outcome recorded for this connect");
    }
    if (outcome.path("event").asText().equals("constructor_threw")) {
      return; // the client refused the subprotocol itself; nothing reached the server
    }
    URI url = URI.create(line.get("url").asText());
    Map<String, String> headers = new LinkedHashMap<>();
    if (line.has("protocols")) {
      List<String> protocols = new ArrayList<>();
      line.get("protocols").forEach(p -> protocols.add(p.asText()));
      headers.put("Sec-WebSocket-Protocol", String.join(", ", protocols));
    }
    RawWebSocket.Handshake handshake = RawWebSocket.connect(port, url.getRawPath() + "?" + url.getRawQuery(),
        headers);
    int expectedStatus = outcome.path("event").asText().equals("upgrade") ? outcome.get("status").asInt()
        : Integer.parseInt(outcome.get("message").asText().replaceAll("\\D", ""));
    check(handshake.status() == expectedStatus, index, "connect: expected HTTP " + expectedStatus + ", got "
        + handshake.status());
    if (outcome.has("headers")) {
      JsonNode protocol = outcome.get("headers").get("sec-websocket-protocol");
      String actual = handshake.header("sec-websocket-protocol");
      check(protocol == null ? actual == null : protocol.asText().equals(actual), index,
          "connect: expected sec-websocket-protocol " + protocol + ", got " + actual);
    }
    if (handshake.socket() != null) {
      Conn c = conns.computeIfAbsent(conn, k -> new Conn());
      c.socket = handshake.socket();
      c.v1 = url.getRawQuery() != null && url.getRawQuery().contains("vsn=1.0.0");
    }
  }

  /** A raw HTTP upgrade request written by the trace harness; its recorded response follows. */
  private void rawRequest(int index, JsonNode line, String conn) throws Exception {
    JsonNode response = null;
    for (int j = index + 1; j < lines.size() && response == null; j++) {
      if (lines.get(j).path("dir").asText().equals("http_resp") && lines.get(j).path("conn").asText().equals(conn)) {
        response = lines.get(j);
      }
    }
    if (response == null) {
      throw new AssertionError("line " + (index + 1) + ": no recorded response");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> header : line.get("headers").properties()) {
      headers.put(header.getKey(), header.getValue().asText());
    }
    RawWebSocket.Handshake handshake = RawWebSocket.connect(port, line.get("path").asText(), headers);
    int expected = response.get("status").asInt();
    check(handshake.status() == expected, index, "expected HTTP " + expected + ", got " + handshake.status());
    JsonNode expectedHeaders = response.get("headers");
    for (String name : List.of("sec-websocket-protocol", "content-length")) {
      JsonNode value = expectedHeaders.get(name);
      String actual = handshake.header(name);
      check(value == null ? actual == null || name.equals("content-length") : value.asText().equals(actual),
          index, "expected header " + name + ": " + value + ", got " + actual);
    }
    if (handshake.socket() != null) {
      Conn c = conns.computeIfAbsent(conn, k -> new Conn());
      c.socket = handshake.socket();
    }
  }

  /** Every server frame the trace shows before line {@code index}, on every connection, must have arrived. */
  private void awaitAllBefore(int index) throws Exception {
    for (Map.Entry<String, List<Integer>> entry : expectedIn.entrySet()) {
      awaitUpTo(entry.getKey(), index);
    }
  }

  private void awaitUpTo(String conn, int index) throws Exception {
    List<Integer> expected = expectedIn.getOrDefault(conn, List.of());
    Conn c = conns.get(conn);
    while (c != null && c.matched < expected.size() && expected.get(c.matched) < index) {
      int lineIndex = expected.get(c.matched);
      RawWebSocket.Frame frame = c.socket.take(WAIT);
      compare(lineIndex, lines.get(lineIndex), frame);
      c.matched++;
    }
  }

  private void compare(int index, JsonNode line, RawWebSocket.Frame frame) throws IOException {
    if (line.has("data_b64")) {
      check(frame.opcode() == RawWebSocket.Frame.BINARY, index, "expected a binary frame, got " + frame);
      String actual = Base64.getEncoder().encodeToString(frame.data());
      check(actual.equals(line.get("data_b64").asText()), index, "binary frame differs: expected "
          + line.get("data_b64").asText() + ", got " + actual);
      return;
    }
    check(frame.opcode() == RawWebSocket.Frame.TEXT, index, "expected " + line.get("data").asText() + ", got "
        + frame);
    String problem = mapping.mismatch(MAPPER.readTree(line.get("data").asText()), MAPPER.readTree(frame.text()));
    check(problem == null, index, problem + "\n  expected " + line.get("data").asText() + "\n  got      "
        + frame.text());
  }

  /** Before the client closes: its remaining frames, then a heartbeat round trip with nothing else in between. */
  private void finish(String conn, Conn c) throws Exception {
    if (c.socket == null) {
      return;
    }
    awaitUpTo(conn, Integer.MAX_VALUE);
    String ref = "replay-barrier-" + (++barriers);
    c.socket.sendText(c.v1
        ? "{\"topic\":\"phoenix\",\"event\":\"heartbeat\",\"payload\":{},\"ref\":\"" + ref + "\"}"
        : "[null,\"" + ref + "\",\"phoenix\",\"heartbeat\",{}]");
    while (true) {
      RawWebSocket.Frame frame = c.socket.take(WAIT);
      if (frame.opcode() != RawWebSocket.Frame.TEXT) {
        throw new AssertionError(conn + ": unexpected frame after the recorded ones: " + frame);
      }
      JsonNode message = MAPPER.readTree(frame.text());
      if (ref.equals(message.isArray() ? message.path(1).asText() : message.path("ref").asText())) {
        break;
      }
      String event = message.isArray() ? message.path(3).asText() : message.path("event").asText();
      if (!allowedExtraEvents.contains(event)) {
        throw new AssertionError(conn + ": the server sent a frame the recording does not have: " + frame.text());
      }
    }
    c.socket.sendClose(1000);
    int code = c.socket.awaitClose(WAIT);
    if (code != 1000) {
      throw new AssertionError(conn + ": expected the server to answer the close with 1000, got " + code);
    }
    c.socket.close();
    c.socket = null;
  }

  private static void check(boolean ok, int index, String problem) {
    if (!ok) {
      throw new AssertionError("trace line " + (index + 1) + ": " + problem);
    }
  }
}
