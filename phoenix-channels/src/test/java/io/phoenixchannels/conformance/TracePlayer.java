package io.phoenixchannels.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.ChannelState;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.testing.ServerFrames;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays the server side of one WebSocket trace against this library's client, and the scenario script's side
 * (connects, joins, pushes, leaves, disconnects) as the trace shows it; checks that the client sends what
 * phoenix.js sent and reports what phoenix.js reported.
 *
 * <p>The lines are played in the trace's order, each at its {@code t_ms} on a {@link ManualEventLoop} shared by
 * the trace's clients, so the client's timers (timeouts, heartbeats, rejoins, reconnects) fire on the trace's
 * timeline. This client reacts at once where phoenix.js took a fraction of a millisecond, so everything it does
 * must be done by the time the trace's line shows phoenix.js doing it:
 *
 * <ul>
 *   <li>{@code out}: the client's next frame on that connection, compared exactly after ref mapping ({@link
 *       WireFrame}, {@link RefMap}). Heartbeats are compared in the same sequence as the other frames: the client
 *       times them like phoenix.js (interval from the open and from each reply), so no trace interleaves them
 *       differently.</li>
 *   <li>{@code in}: delivered to the client with phoenix.js's refs replaced by the client's.</li>
 *   <li>{@code note}: what phoenix.js reported; the client must have reported the same, in the same order
 *       ({@link ReportLedger}). {@code push(event)} notes with a payload are the script's pushes.</li>
 *   <li>{@code meta}: the connection's life: connect (the URL, params, vsn and auth token must equal the trace's;
 *       a later connect is a reconnect the client must have made by itself), open, a refused upgrade, the server's
 *       close, and the script's disconnect.</li>
 * </ul>
 *
 * <p>After the last line the clock runs on for a minute: the client must not send, connect or report anything
 * more, and everything phoenix.js sent and reported must have been matched.
 */
final class TracePlayer {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Pattern PUSH_ACTION = Pattern.compile("push\\(([^)]+)\\)");
  private static final Pattern CHANNEL_NOTE = Pattern.compile("channel\\(([^)]+)\\)\\.(onError|onClose)");
  private static final Pattern HTTP_STATUS = Pattern.compile("(\\d{3})$");
  private static final Duration QUIET_AFTER_THE_TRACE = Duration.ofMinutes(1);
  /**
   * Node's timers may fire up to a millisecond before their delay has passed since they were set (libuv reads the
   * clock once per loop turn), so a timer-driven action of phoenix.js can show in the trace slightly before the
   * exact delay (v2_socket_rejected on 1.8 reconnects 249.7 ms after the close, with 250 ms). Where the client has
   * not acted yet when a line is due, the player lets the clock run this much further before it fails.
   */
  private static final Duration TIMER_SLACK = Duration.ofMillis(1);
  /**
   * How much earlier than phoenix.js the client may act. It reacts at once on the manual clock where phoenix.js took
   * its time (at most 2.5 ms between cause and effect in these traces, a rejoin after its timer); anything earlier
   * than this means a timer of the client (heartbeat, rejoin, reconnect, push timeout) runs shorter than
   * phoenix.js's did, which the order of the frames alone would not show.
   */
  static final Duration EARLY_LIMIT = Duration.ofMillis(10);
  private static final Duration SLACK_STEP = Duration.ofNanos(100_000);

  private final String version;
  private final String trace;
  private final List<JsonNode> lines;
  private final TraceSettings settings;
  private final ManualEventLoop loop = new ManualEventLoop();
  private final Map<String, ReplayedClient> clients = new LinkedHashMap<>();
  private final Map<String, ConnState> states = new HashMap<>();
  private final Set<Difference> differences = EnumSet.noneOf(Difference.class);
  private long nowNanos;
  private String where = "the start";

  TracePlayer(String version, String trace, List<JsonNode> lines) {
    this.version = version;
    this.trace = trace;
    this.lines = lines;
    this.settings = TraceSettings.of(trace);
  }

  /** What the player knows of one client's connection that the client itself does not tell. */
  private static final class ConnState {
    int connectLines;
    boolean upgradeFailed;
    boolean disconnectCalled;
    int disconnectCode;
    String disconnectReason;
    boolean lastCloseRequested;
    String leaveRef;
  }

  /** Plays the whole trace and checks the end state. */
  void play() {
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      advanceTo(line.get("t_ms").asDouble());
      String conn = line.path("conn").asText();
      where = "line " + (i + 1) + " (t=" + line.get("t_ms").asText() + " ms, " + conn + ": "
          + describe(line) + ")";
      clients.values().forEach(client -> client.ledger().at(where));
      switch (line.get("dir").asText()) {
        case "meta" -> meta(i, line, conn);
        case "out" -> out(line, client(conn));
        case "in" -> in(line, client(conn));
        case "note" -> note(i, line, conn);
        // The "raw" lines are the harness probing the server with a hand-made HTTP request (no phoenix.js, no
        // client of this library involved): they show what the server answers, which is the test server's concern.
        case "http_req", "http_resp" -> require("raw".equals(conn), "an HTTP exchange of a phoenix.js client");
        default -> throw new AssertionError("unknown line direction at " + where);
      }
      allowTimerSlack(() -> clients.values().stream().noneMatch(client -> client.ledger().isBehind()));
      clients.values().forEach(client -> client.ledger().settle());
    }
    where = "the end of the trace plus " + QUIET_AFTER_THE_TRACE.toSeconds() + " s";
    clients.values().forEach(client -> client.ledger().at(where));
    loop.advance(QUIET_AFTER_THE_TRACE);
    for (ReplayedClient client : clients.values()) {
      if (!client.uncomparedFrames().isEmpty()) {
        throw new AssertionError(client.conn() + ": the client sent frames phoenix.js did not: "
            + client.uncomparedFrames());
      }
      int connects = states.get(client.conn()).connectLines;
      if (client.transport().count() != connects) {
        throw new AssertionError(client.conn() + ": the client opened " + client.transport().count()
            + " connections, phoenix.js " + connects);
      }
      client.ledger().assertComplete();
    }
  }

  /** The differences from phoenix.js that this trace made the replay assert. */
  Set<Difference> differences() {
    return differences;
  }

  // ---- meta: the connection's life ----

  private void meta(int index, JsonNode line, String conn) {
    String event = line.get("event").asText();
    switch (event) {
      case "connect" -> connect(index, line, conn);
      // The HTTP answer to the upgrade: 101 is followed by "open", a refusal by "error" and "close". (Its
      // sec-websocket-protocol header, which the JDK transport checks after sending a token, needs a real
      // handshake: the fake transport has none.)
      case "upgrade" -> { }
      case "open" -> {
        FakeTransport.Connection connection = client(conn).transport().last();
        connection.open();
      }
      case "error" -> {
        // phoenix.js's WebSocket (ws) reports a refused upgrade as an error, then a close 1006. The fake transport
        // delivers both, as the JDK transport does; the "close" line that follows is then already played.
        ConnState state = states.get(conn);
        String message = line.get("message").asText();
        Matcher status = HTTP_STATUS.matcher(message);
        state.upgradeFailed = true;
        state.lastCloseRequested = false;
        client(conn).transport().last().fail(new ConnectionException("WebSocket upgrade refused: " + message,
            status.find() ? Integer.parseInt(status.group(1)) : -1, null));
      }
      case "close" -> close(line, conn);
      case "client_close_called" -> clientClose(line, conn);
      default -> throw new AssertionError("unknown meta event at " + where);
    }
  }

  private void connect(int index, JsonNode line, String conn) {
    ConnState state = states.computeIfAbsent(conn, c -> new ConnState());
    state.connectLines++;
    state.upgradeFailed = false;
    ReplayedClient client = clients.get(conn);
    if (client == null) {
      client = new ReplayedClient(conn, line, settings, loop, ScriptCallbacks.of(lines, conn));
      client.ledger().at(where);
      clients.put(conn, client);
      client.connect();
      // Channels the script joined before the socket opened: phoenix.js buffered their phx_join and sent it on
      // open (before its onOpen callbacks), or never sent it when the socket never opened.
      for (Map.Entry<String, JsonNode> join : joinsBeforeOpen(index, conn).entrySet()) {
        client.join(join.getKey(), join.getValue());
      }
    }
    // A later connect line is phoenix.js reconnecting: this client must have reconnected by itself by now.
    ReplayedClient reconnecting = client;
    allowTimerSlack(() -> reconnecting.transport().count() >= state.connectLines);
    if (client.transport().count() != state.connectLines) {
      throw new AssertionError(conn + ": phoenix.js made connection #" + state.connectLines + " at " + where
          + "; this client has made " + client.transport().count());
    }
    requireNotEarly(client.lastConnectedAt(), "opened connection #" + state.connectLines);
    FakeTransport.Connection connection = client.transport().last();
    String url = connection.request().uri("websocket", true).toString();
    require(url.equals(line.get("url").asText()), "the client connects to " + url);
    String token = ReplayedClient.authToken(line);
    require(Objects.equals(token, connection.request().authToken()),
        "the client's auth token is " + connection.request().authToken() + ", phoenix.js's " + token);
  }

  private void close(JsonNode line, String conn) {
    ConnState state = states.get(conn);
    int code = line.get("code").asInt();
    String reason = line.path("reason").asText("");
    ReplayedClient client = client(conn);
    FakeTransport.Connection connection = client.transport().last();
    if (state.upgradeFailed) {
      require(code == 1006, "a refused upgrade closes with 1006");
      return;
    }
    if (state.disconnectCalled) {
      require(connection.isClosed() && connection.closeCode() == state.disconnectCode
          && state.disconnectReason.equals(connection.closeReason()),
          "the script's disconnect(" + state.disconnectCode + ", \"" + state.disconnectReason
              + "\") closes the transport with that code and reason; the client closed it: " + connection.isClosed()
              + " " + connection.closeCode() + " \"" + connection.closeReason() + "\"");
    }
    state.lastCloseRequested = state.disconnectCalled;
    state.disconnectCalled = false;
    // The server's close frame (its answer to the client's close, or its own close).
    connection.serverClose(code, reason);
    client.ledger().release("close");
  }

  private void clientClose(JsonNode line, String conn) {
    ConnState state = states.get(conn);
    if (line.get("code").isNull()) {
      // phoenix.js tearing down its failed connection before it reconnects (its reconnect timer calls
      // teardown(), which closes the old WebSocket without a code): not the script, and nothing this client does
      // on the wire. Its reconnect shows in the next "connect" line.
      return;
    }
    if (state.disconnectCalled) {
      // The second close of one disconnect: ws answering the server's close frame with the server's own code and
      // reason (ws calls close(code, reason) when a close frame arrives). The "close" line plays that frame.
      return;
    }
    // The script's socket.disconnect(callback, code, reason).
    state.disconnectCalled = true;
    state.disconnectCode = line.get("code").asInt();
    state.disconnectReason = line.path("reason").asText("");
    client(conn).disconnect(state.disconnectCode, state.disconnectReason);
  }

  // ---- frames ----

  private void out(JsonNode line, ReplayedClient client) {
    WireFrame expected = WireFrame.fromTrace(line);
    String topic = expected.topic();
    switch (expected.event()) {
      case "phx_join" -> {
        // The script's join: the first of the topic (or the first after the channel closed). A phx_join of a
        // channel the script already joined is the client's own rejoin, which it must send by itself.
        if (!client.hasOpenChannel(topic)) {
          client.join(topic, payloadOf(line));
        }
      }
      case "phx_leave" -> {
        // The script's leave. (phoenix.js also sends phx_leave by itself after a join timeout; no WebSocket
        // trace has a join timeout on an open socket.)
        states.get(client.conn()).leaveRef = expected.ref();
        client.leave(topic);
      }
      default -> { }
    }
    allowTimerSlack(() -> !client.uncomparedFrames().isEmpty());
    WireFrame sent = client.nextUncomparedFrame();
    if (sent == null) {
      throw new AssertionError(client.conn() + ": phoenix.js sent " + expected + " at " + where
          + "; this client had sent nothing more");
    }
    expected.assertSentBy(sent, client.refs(), where);
    requireNotEarly(client.lastComparedSentAt(), "sent " + sent);
  }

  private void in(JsonNode line, ReplayedClient client) {
    WireFrame frame = WireFrame.fromTrace(line);
    Object data = frame.forClient(client.refs(), where);
    FakeTransport.Connection connection = client.transport().last();
    if (data instanceof byte[] bytes) {
      connection.receiveBinary(bytes);
    } else {
      connection.receive((String) data);
    }
    ConnState state = states.get(client.conn());
    if (state.leaveRef != null && "phx_reply".equals(frame.event()) && state.leaveRef.equals(frame.ref())) {
      state.leaveRef = null;
      client.ledger().release(leaveReplyEvent(frame.ref()));
    }
  }

  // ---- notes: the script's actions and phoenix.js's reports ----

  private void note(int index, JsonNode line, String conn) {
    String msg = line.get("msg").asText();
    if ("harness".equals(conn)) {
      harnessNote(line, msg);
      return;
    }
    ReplayedClient client = client(conn);
    ConnState state = states.get(conn);
    Matcher push = PUSH_ACTION.matcher(msg);
    if (push.matches() && line.has("payload")) {
      String event = push.group(1);
      client.push(topicOfPush(index, conn, event), event, line.get("payload"),
          Duration.ofMillis(line.get("timeoutMs").asLong()));
      return;
    }
    ObjectNode expected = JSON.objectNode().put("msg", msg);
    Matcher channelNote = CHANNEL_NOTE.matcher(msg);
    if (msg.equals("socket.onOpen")) {
      client.ledger().expect(expected, where);
    } else if (msg.equals("socket.onClose")) {
      expected.put("code", line.get("code").asInt()).put("reason", line.get("reason").asText())
          .put("requested", state.lastCloseRequested);
      client.ledger().expect(expected, where);
    } else if (msg.equals("socket.onError")) {
      Matcher status = HTTP_STATUS.matcher(line.get("error").asText());
      expected.put("status", status.find() ? Integer.parseInt(status.group(1)) : -1);
      client.ledger().expect(expected, where);
    } else if (channelNote.matches() && channelNote.group(2).equals("onError")) {
      channelError(client, state, line, expected);
    } else if (channelNote.matches()) {
      boolean byLeave = "leave".equals(line.path("payload").asText(null));
      expected.put("leave", byLeave);
      expectLeaveOutcome(client, state, expected, byLeave);
    } else if (msg.equals("leave ok")) {
      if (line.has("resp")) {
        expected.set("resp", line.get("resp"));
      }
      expectLeaveOutcome(client, state, expected, true);
    } else if (msg.matches("(join|push)\\(.+\\) (ok|error)")) {
      expected.set("resp", line.get("resp"));
      client.ledger().expect(expected, where);
    } else if (msg.matches("(join|push)\\(.+\\) timeout")) {
      client.ledger().expect(expected, where);
    } else if (msg.matches("on\\(.+\\)")) {
      expected.set("payload", eventPayload(line));
      client.ledger().expect(expected, where);
    } else if (msg.startsWith("channel state after ")) {
      ChannelState actual = client.lastChannel().state();
      require(actual.name().toLowerCase(Locale.ROOT).equals(line.get("state").asText()),
          "the channel's state is " + actual);
    } else if (msg.equals("presence.onSync")) {
      expected.set("list", line.get("list"));
      client.ledger().expect(expected, where);
    } else {
      throw new AssertionError("the replay does not know this note: " + line);
    }
  }

  private void channelError(ReplayedClient client, ConnState state, JsonNode line, ObjectNode expected) {
    JsonNode reason = line.get("reason");
    if (reason == null || reason.isNull()) {
      // phoenix.js 1.7 passes no reason for a transport error; this client passes {"source":"transport",...} as
      // phoenix.js 1.8 does. Against 1.7 only "it was the transport" is compared.
      expected.put("transport", true);
    } else {
      expected.put("transport", "transport".equals(reason.path("source").asText()));
      expected.set("reason", reason);
    }
    if (state.disconnectCalled && expected.get("transport").asBoolean()) {
      // Timing, not behaviour: phoenix.js 1.8 errors the channels as soon as disconnect() is called; this client,
      // like phoenix.js 1.7, when the transport has closed. The order of the reports is the same.
      differences.add(Difference.CHANNEL_ERRORS_WHEN_THE_TRANSPORT_HAS_CLOSED);
      client.ledger().expectLater(expected, where, "close", false);
    } else {
      client.ledger().expect(expected, where);
    }
  }

  /**
   * DESIGN.md: phoenix.js closes a channel as soon as it sends phx_leave, before the server has answered; this
   * client closes it on the server's ok (or the leave's timeout). So where phoenix.js reports the close and the
   * leave's ok before the server's reply, this client must report them only once that reply has arrived, and
   * right then.
   */
  private void expectLeaveOutcome(ReplayedClient client, ConnState state, ObjectNode expected, boolean byLeave) {
    if (byLeave && state.leaveRef != null) {
      differences.add(Difference.LEAVE_CLOSES_ON_THE_SERVERS_OK);
      client.ledger().expectLater(expected, where, leaveReplyEvent(state.leaveRef), true);
    } else {
      client.ledger().expect(expected, where);
    }
  }

  private void harnessNote(JsonNode line, String msg) {
    if (msg.equals("tick counts")) {
      // The script counted the "tick" events each client received (all of them: pushes, broadcasts, timed ticks).
      for (Map.Entry<String, ReplayedClient> entry : clients.entrySet()) {
        if (line.has(entry.getKey())) {
          int ticks = entry.getValue().eventCount("tick");
          require(ticks == line.get(entry.getKey()).asInt(), entry.getKey() + " received " + ticks + " ticks");
        }
      }
      return;
    }
    throw new AssertionError("the replay does not know this harness note: " + line);
  }

  // ---- looking ahead in the trace for what the script did ----

  /**
   * The channels the script joined before the socket opened, with their params: a topic whose first phx_join
   * went out before phoenix.js's first {@code socket.onOpen} note (phoenix.js flushes its send buffer before it
   * calls the open callbacks, and a join made in such a callback would come after the note), and a topic that
   * phoenix.js reported on ({@code channel(t)...}, {@code join(t)...}) without its phx_join ever reaching the wire
   * (the socket never opened; the params are then unknown and unused: empty).
   */
  private Map<String, JsonNode> joinsBeforeOpen(int from, String conn) {
    Map<String, JsonNode> joins = new LinkedHashMap<>();
    Set<String> seenOnWire = new HashSet<>();
    boolean opened = false;
    for (int i = from; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      if (!conn.equals(line.path("conn").asText())) {
        continue;
      }
      String dir = line.get("dir").asText();
      String msg = line.path("msg").asText();
      if ("note".equals(dir) && "socket.onOpen".equals(msg)) {
        opened = true;
      } else if ("out".equals(dir)) {
        WireFrame frame = WireFrame.fromTrace(line);
        if ("phx_join".equals(frame.event()) && seenOnWire.add(frame.topic()) && !opened) {
          joins.put(frame.topic(), payloadOf(line));
        }
      }
    }
    for (int i = from; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      Matcher topic = Pattern.compile("(?:channel|join)\\(([^)]+)\\).*").matcher(line.path("msg").asText());
      if (conn.equals(line.path("conn").asText()) && "note".equals(line.get("dir").asText()) && topic.matches()
          && !seenOnWire.contains(topic.group(1)) && !joins.containsKey(topic.group(1))) {
        joins.put(topic.group(1), JSON.objectNode());
      }
    }
    return joins;
  }

  /** The topic of a pushed event: the one of the next frame with that event the client sent. */
  private String topicOfPush(int from, String conn, String event) {
    for (int i = from + 1; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      if ("out".equals(line.get("dir").asText()) && conn.equals(line.path("conn").asText())) {
        WireFrame frame = WireFrame.fromTrace(line);
        if (event.equals(frame.event())) {
          return frame.topic();
        }
      }
    }
    throw new AssertionError("cannot tell the topic of push(" + event + ") at " + where
        + ": phoenix.js never sent it");
  }

  // ---- helpers ----

  private ReplayedClient client(String conn) {
    ReplayedClient client = clients.get(conn);
    if (client == null) {
      throw new AssertionError("a line for client " + conn + " before its connect, at " + where);
    }
    return client;
  }

  private void requireNotEarly(long actedAtNanos, String what) {
    long early = nowNanos - actedAtNanos;
    require(early <= EARLY_LIMIT.toNanos(), "the client " + what + " " + early / 1_000_000
        + " ms before phoenix.js did: a timer of the client runs shorter than phoenix.js's");
  }

  private void allowTimerSlack(BooleanSupplier done) {
    long limit = nowNanos + TIMER_SLACK.toNanos();
    while (!done.getAsBoolean() && nowNanos < limit) {
      loop.advance(SLACK_STEP);
      nowNanos += SLACK_STEP.toNanos();
    }
  }

  private void advanceTo(double tMs) {
    long target = Math.round(tMs * 1_000_000);
    if (target > nowNanos) {
      loop.advance(Duration.ofNanos(target - nowNanos));
      nowNanos = target;
    }
  }

  private static JsonNode payloadOf(JsonNode line) {
    JsonNode data = ServerFrames.json(line.get("data").asText());
    return data.isArray() ? data.get(4) : data.get("payload");
  }

  /** What phoenix.js handed the script's {@code on(event)} callback, as its note records it. */
  private static JsonNode eventPayload(JsonNode line) {
    if (line.has("payload")) {
      return line.get("payload");
    }
    if (line.has("state")) {
      return line.get("state");
    }
    if (line.has("arraybuffer_b64")) {
      return JSON.objectNode().put("arraybuffer_b64", line.get("arraybuffer_b64").asText());
    }
    throw new AssertionError("an on(...) note without a payload: " + line);
  }

  private static String leaveReplyEvent(String traceRef) {
    return "the server's reply to phx_leave (trace ref " + traceRef + ")";
  }

  private static String describe(JsonNode line) {
    String dir = line.get("dir").asText();
    return switch (dir) {
      case "meta" -> "meta " + line.path("event").asText();
      case "note" -> "note " + line.path("msg").asText();
      default -> dir + " " + (line.has("data") ? line.get("data").asText() : line.path("data_b64").asText(""));
    };
  }

  private void require(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(version + "/" + trace + " at " + where + ": " + what);
    }
  }
}
