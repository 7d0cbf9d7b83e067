package io.phoenixchannels.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixPresence;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Presence;
import io.phoenixchannels.ReconnectPolicy;
import io.phoenixchannels.RejoinPolicy;
import io.phoenixchannels.testing.FakeTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One client of a trace (its {@code conn}, A or B): this library's socket on the shared manual clock, a fake
 * transport whose server side the player drives, the channels the scenario script joined, and a ledger of what
 * the socket, its channels and its pushes reported. The fake transport does not answer the client's closes by
 * itself: the trace's own {@code meta close} line does, with the code and reason the server sent.
 */
final class ReplayedClient {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  static final String AUTH_TOKEN_PREFIX = "base64url.bearer.phx.";

  private final String conn;
  private final FakeTransport transport = new FakeTransport().withoutCloseConfirmation();
  private final TimestampingTransport timestamps;
  private final PhoenixSocket socket;
  private final ReportLedger ledger;
  private final RefMap refs = new RefMap();
  private final ScriptCallbacks callbacks;
  private final ScriptedChannels script;
  private final Map<String, Integer> eventCounts = new HashMap<>();
  private PhoenixChannel lastChannel;
  private int framesCompared;

  /**
   * Builds the socket phoenix.js was given, from its first {@code meta connect} line.
   *
   * @param connectLine the line with the URL (and the subprotocols that carried an auth token)
   * @param callbacks the callbacks the script registered, which the replay registers too
   */
  ReplayedClient(String conn, JsonNode connectLine, TraceSettings settings, ManualEventLoop loop,
      ScriptCallbacks callbacks) {
    this.conn = conn;
    this.ledger = new ReportLedger(conn, loop::nanoTime);
    this.timestamps = new TimestampingTransport(transport, loop);
    this.callbacks = callbacks;
    URI url = URI.create(connectLine.get("url").asText());
    String path = url.getRawPath();
    if (!path.endsWith("/websocket")) {
      throw new AssertionError("not a WebSocket trace URL: " + url);
    }
    Map<String, String> query = query(url.getRawQuery());
    String vsn = query.remove("vsn");
    String endpoint = url.getScheme() + "://" + url.getRawAuthority()
        + path.substring(0, path.length() - "/websocket".length());
    PhoenixSocket.Builder builder = PhoenixSocket.builder(endpoint)
        .params(query)
        .eventLoop(loop)
        .transport(timestamps);
    if (vsn != null) {
      builder.vsn(vsn);
    }
    String token = authToken(connectLine);
    if (token != null) {
      builder.authToken(token);
    }
    if (settings.heartbeatInterval() != null) {
      builder.heartbeatInterval(settings.heartbeatInterval());
    }
    if (settings.rejoinDelay() != null) {
      builder.rejoinPolicy(RejoinPolicy.builder().delays(settings.rejoinDelay()).build());
    }
    if (settings.reconnectDelay() != null) {
      builder.reconnectPolicy(ReconnectPolicy.builder().delays(settings.reconnectDelay()).build());
    }
    socket = builder.build();
    script = new ScriptedChannels(conn, socket, ledger, callbacks);
  }

  /** The auth token phoenix.js sent in its subprotocols, decoded, or {@code null}. */
  static String authToken(JsonNode connectLine) {
    for (JsonNode protocol : connectLine.path("protocols")) {
      if (protocol.asText().startsWith(AUTH_TOKEN_PREFIX)) {
        byte[] bytes = Base64.getDecoder().decode(protocol.asText().substring(AUTH_TOKEN_PREFIX.length()));
        return new String(bytes, StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  String conn() {
    return conn;
  }

  PhoenixSocket socket() {
    return socket;
  }

  FakeTransport transport() {
    return transport;
  }

  ReportLedger ledger() {
    return ledger;
  }

  RefMap refs() {
    return refs;
  }

  // ---- the scenario script's actions ----

  void connect() {
    socket.connect();
  }

  void disconnect(int code, String reason) {
    socket.disconnect(code, reason);
  }

  /** Creates the channel and joins it, with the counters and the presence the script had too. */
  void join(String topic, JsonNode params) {
    lastChannel = script.join(topic, params, channel -> {
      for (String event : callbacks.countedEvents()) {
        channel.on(event, message -> eventCounts.merge(event, 1, Integer::sum));
      }
      if (callbacks.presenceSyncs()) {
        PhoenixPresence presence = new PhoenixPresence(channel);
        presence.onSync(() -> ledger.record(ScriptedChannels.report("presence.onSync")
            .set("list", asTraceList(presence.list()))));
      }
    });
  }

  void push(String topic, String event, JsonNode payload, Duration timeout) {
    Object body = payload;
    if (payload.isObject() && payload.size() == 1 && payload.has("arraybuffer_b64")) {
      body = Base64.getDecoder().decode(payload.get("arraybuffer_b64").asText());
    }
    script.push(topic, event, body, timeout);
  }

  void leave(String topic) {
    script.leave(topic);
  }

  // ---- what the client did ----

  /** Tells whether the script has a channel for the topic that is not closed: a phx_join for it is a rejoin. */
  boolean hasOpenChannel(String topic) {
    return script.hasOpenChannel(topic);
  }

  PhoenixChannel lastChannel() {
    return lastChannel;
  }

  int eventCount(String event) {
    return eventCounts.getOrDefault(event, 0);
  }

  /** Every frame the client sent, over all its connections, in order. */
  List<Object> sentFrames() {
    List<Object> all = new ArrayList<>();
    for (FakeTransport.Connection connection : transport.connections()) {
      all.addAll(connection.sentFrames());
    }
    return all;
  }

  /** The next frame the client sent that has not been compared yet, or {@code null}. */
  WireFrame nextUncomparedFrame() {
    List<Object> sent = sentFrames();
    if (framesCompared >= sent.size()) {
      return null;
    }
    return WireFrame.fromClient(sent.get(framesCompared++));
  }

  /** When the client sent the frame {@link #nextUncomparedFrame()} returned last, in the clock's nanoseconds. */
  long lastComparedSentAt() {
    return timestamps.sentAt().get(framesCompared - 1);
  }

  /** When the client opened its latest connection, in the clock's nanoseconds. */
  long lastConnectedAt() {
    List<Long> connectedAt = timestamps.connectedAt();
    return connectedAt.get(connectedAt.size() - 1);
  }

  /** The frames sent after the last one compared. */
  List<WireFrame> uncomparedFrames() {
    List<Object> sent = sentFrames();
    List<WireFrame> rest = new ArrayList<>();
    for (int i = framesCompared; i < sent.size(); i++) {
      rest.add(WireFrame.fromClient(sent.get(i)));
    }
    return rest;
  }

  /** A presence list as phoenix.js's {@code presence.list()} gives it: {@code [{"id": key, "metas": [...]}, ...]}. */
  private static ArrayNode asTraceList(List<Presence> list) {
    ArrayNode array = JSON.arrayNode();
    for (Presence presence : list) {
      array.addObject().put("id", presence.key()).putArray("metas").addAll(presence.metas());
    }
    return array;
  }

  /** A binary payload as the trace's notes show an ArrayBuffer: {@code {"arraybuffer_b64": ...}}. */
  static JsonNode asApplicationSees(JsonNode payload) {
    if (payload.isBinary()) {
      try {
        return JSON.objectNode().put("arraybuffer_b64", Base64.getEncoder().encodeToString(payload.binaryValue()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return payload;
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }
}
