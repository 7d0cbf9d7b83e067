package io.phoenixchannels.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.SocketState;
import io.phoenixchannels.testing.LoopDriver;
import io.phoenixchannels.testing.ScriptedHttpServer;
import io.phoenixchannels.testing.ScriptedHttpServer.Exchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Plays the server side of one long-poll trace against this library's socket over its real long-poll transport,
 * through a {@link ScriptedHttpServer}, and the scenario script's side (connect, join, push, leave, disconnect) as
 * the trace shows it; checks that the client makes the HTTP requests phoenix.js made and reports what phoenix.js
 * reported.
 *
 * <ul>
 *   <li>{@code http_req}: the client's next request of that method, compared with the trace's after mapping: the
 *       path, the query (the params, {@code vsn}, and the session token, which the scripted server hands out as the
 *       trace's own), the headers that carry meaning ({@code Content-Type} of a POST, {@code Accept} of a GET, the
 *       auth and session tokens; see {@link LongPollDifference}), and a POST's NDJSON lines frame by frame with
 *       refs mapped ({@link WireFrame}, {@link RefMap}). A POST with a {@code phx_join} or {@code phx_leave} the
 *       script has not made yet makes it first.</li>
 *   <li>{@code http_resp}: the trace's answer to that request, with phoenix.js's refs in the messages replaced by
 *       the client's.</li>
 *   <li>{@code meta xhr_abort}: the script's disconnect (with the code and reason of the close it reports), which
 *       must abort the held poll.</li>
 *   <li>{@code note}: what phoenix.js reported, which the client must report too, in order ({@link ReportLedger});
 *       {@code push(event)} notes with a payload are the script's pushes (pushes noted at one instant are one
 *       JavaScript task, so they are made in one task of the event loop); a harness {@code PART} starts a new
 *       socket.</li>
 * </ul>
 *
 * <p>Time runs on a {@link ManualEventLoop} set to each line's {@code t_ms}, so the client's timers (reconnect
 * backoff, request timeouts) run on the trace's timeline while the HTTP exchanges are real. After the last line
 * the script disconnects and the clock runs on for a minute: no request and no report may follow.
 */
final class LongPollTracePlayer implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern PUSH_ACTION = Pattern.compile("push\\(([^)]+)\\)");
  private static final Pattern CHANNEL_NOTE = Pattern.compile("channel\\(([^)]+)\\)\\.(onError|onClose)");
  private static final Pattern PART = Pattern.compile("PART: authToken \"(.*)\"");
  private static final Pattern TOPIC_NOTE = Pattern.compile("(?:channel|join)\\(([^)]+)\\).*");
  private static final Duration QUIET_AFTER_THE_TRACE = Duration.ofMinutes(1);
  /**
   * The constant reconnect delay each trace's script set, read off the trace: the next connect follows the close
   * by that much (longpoll_rejected: 8.8 -> 311.6 ms on 1.7, 3.4 -> 305.9 ms on 1.8; longpoll_auth_token's refused
   * part: 114.3 -> 515.5 ms). The other traces never reconnect.
   */
  private static final Map<String, Duration> RECONNECT_DELAYS = Map.of(
      "longpoll_rejected", Duration.ofMillis(300),
      "longpoll_auth_token", Duration.ofMillis(400));

  private final String version;
  private final String trace;
  private final List<JsonNode> lines;
  private final ManualEventLoop loop = new ManualEventLoop();
  private final ScriptedHttpServer server;
  private final LoopDriver driver;
  private final ScriptCallbacks callbacks;
  private final Set<LongPollDifference> differences = EnumSet.noneOf(LongPollDifference.class);
  private final Map<Integer, Exchange> exchanges = new HashMap<>();
  private final Map<String, String> leaveRefs = new HashMap<>();
  private final List<LongPollReplayClient> clients = new ArrayList<>();
  private final Set<Integer> playedAhead = new HashSet<>();
  private LongPollReplayClient client;
  private boolean disconnectRequested;
  private int requestsCompared;
  private long nowNanos;
  private String where = "the start";

  LongPollTracePlayer(String version, String trace, List<JsonNode> lines) throws IOException {
    this.version = version;
    this.trace = trace;
    this.lines = lines;
    this.server = new ScriptedHttpServer();
    this.driver = new LoopDriver(loop, server);
    this.callbacks = ScriptCallbacks.of(lines, "A");
  }

  /** Plays the whole trace and checks the end state. */
  void play() throws Exception {
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      advanceTo(line.get("t_ms").asDouble());
      where = "line " + (i + 1) + " (t=" + line.get("t_ms").asText() + " ms: " + describe(line) + ")";
      if (client != null) {
        client.ledger().at(where);
      }
      switch (line.get("dir").asText()) {
        case "note" -> note(i, line);
        case "http_req" -> request(i, line);
        case "http_resp" -> response(line);
        case "meta" -> meta(i, line);
        default -> throw new AssertionError("unknown line direction at " + where);
      }
      settle();
    }
    where = "the end of the trace plus " + QUIET_AFTER_THE_TRACE.toSeconds() + " s";
    endPart();
    loop.advance(QUIET_AFTER_THE_TRACE);
    loop.runPending();
    server.assertNoRequest(Duration.ofMillis(100));
  }

  /** The differences from phoenix.js that this trace made the replay assert. */
  Set<LongPollDifference> differences() {
    return differences;
  }

  /** How many HTTP requests of the client were compared with the trace's. */
  int requestsCompared() {
    return requestsCompared;
  }

  @Override
  public void close() throws IOException {
    for (LongPollReplayClient each : clients) {
      each.socket().close();
    }
    server.close();
  }

  // ---- sockets: one per part of the trace ----

  /** Starts the socket of the part that begins at {@code index}: its channels joined before the open, then connect. */
  private void startClient(int index) {
    JsonNode first = null;
    for (int i = index; i < lines.size() && first == null; i++) {
      if ("http_req".equals(lines.get(i).get("dir").asText())) {
        first = lines.get(i);
      }
    }
    require(first != null, "the part makes a request");
    URI url = URI.create(first.get("url").asText());
    String path = url.getRawPath();
    require(path.endsWith("/longpoll"), "a long-poll URL");
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, String> param : queryParams(url.getRawQuery())) {
      params.put(param.getKey(), param.getValue());
    }
    String vsn = params.remove("vsn");
    String token = first.path("headers").path("X-Phoenix-AuthToken").asText(null);
    client = new LongPollReplayClient(server.url() + path.substring(0, path.length() - "/longpoll".length()), params,
        vsn, token, RECONNECT_DELAYS.get(trace), loop, HTTP, callbacks);
    clients.add(client);
    client.ledger().at(where);
    joinsBeforeOpen(index).forEach(client::join);
    client.connect();
  }

  /** The script is done with its socket: disconnect it (nothing to report when it is down already). */
  private void endPart() {
    if (client == null) {
      return;
    }
    client.ledger().at(where);
    client.disconnect(1000, "");
    loop.runPending();
    settle();
    client.ledger().assertComplete();
  }

  /**
   * The channels the script joined before its socket opened: a topic phoenix.js reported on before the part's
   * first {@code socket.onOpen}, or without its phx_join ever reaching the wire (the params then unknown: empty).
   */
  private Map<String, JsonNode> joinsBeforeOpen(int from) {
    Map<String, JsonNode> joins = new LinkedHashMap<>();
    Set<String> onWire = new HashSet<>();
    boolean opened = false;
    for (int i = from; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      if (i > from && isPart(line)) {
        break;
      }
      String dir = line.get("dir").asText();
      if ("note".equals(dir) && "socket.onOpen".equals(line.path("msg").asText())) {
        opened = true;
      } else if ("http_req".equals(dir) && "POST".equals(line.get("method").asText())) {
        for (WireFrame frame : framesOf(line)) {
          if ("phx_join".equals(frame.event()) && onWire.add(frame.topic()) && !opened) {
            joins.put(frame.topic(), payloadOf(frame));
          }
        }
      } else if ("note".equals(dir) && "A".equals(line.path("conn").asText())) {
        Matcher topic = TOPIC_NOTE.matcher(line.path("msg").asText());
        if (topic.matches() && !onWire.contains(topic.group(1)) && !lineSentLater(i, from, topic.group(1))) {
          joins.putIfAbsent(topic.group(1), JSON.objectNode());
        }
      }
    }
    return joins;
  }

  /** Whether a phx_join for the topic goes on the wire later in the same part. */
  private boolean lineSentLater(int index, int partStart, String topic) {
    for (int i = index + 1; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      if (isPart(line)) {
        return false;
      }
      if ("http_req".equals(line.get("dir").asText()) && "POST".equals(line.get("method").asText())) {
        for (WireFrame frame : framesOf(line)) {
          if ("phx_join".equals(frame.event()) && topic.equals(frame.topic())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean isPart(JsonNode line) {
    return "note".equals(line.get("dir").asText()) && "harness".equals(line.path("conn").asText())
        && PART.matcher(line.path("msg").asText()).matches();
  }

  // ---- requests and answers ----

  private void request(int index, JsonNode line) throws Exception {
    if (client == null) {
      startClient(index);
    }
    String method = line.get("method").asText();
    List<WireFrame> expectedFrames = "POST".equals(method) ? framesOf(line) : List.of();
    for (WireFrame frame : expectedFrames) {
      if ("phx_join".equals(frame.event()) && !client.hasOpenChannel(frame.topic())) {
        client.join(frame.topic(), payloadOf(frame));
      } else if ("phx_leave".equals(frame.event())) {
        if (!client.hasLeft(frame.topic())) {
          client.leave(frame.topic());
        }
        leaveRefs.put(frame.ref(), frame.topic());
      }
    }
    Exchange actual = "POST".equals(method) ? driver.nextPost() : driver.nextGet();
    exchanges.put(line.get("id").asInt(), actual);
    requestsCompared++;
    String context = "the client's " + actual;

    URI url = URI.create(line.get("url").asText());
    require(actual.path().equals(url.getRawPath()), context + " goes to " + url.getRawPath());
    require(actual.queryParams().equals(queryParams(url.getRawQuery())),
        context + " has the query " + queryParams(url.getRawQuery()));
    compareHeaders(line, actual, context);

    if ("POST".equals(method)) {
      List<String> sent = actual.lines();
      require(sent.size() == expectedFrames.size(), context + " has " + expectedFrames.size() + " lines");
      for (int i = 0; i < sent.size(); i++) {
        expectedFrames.get(i).assertSentBy(WireFrame.fromClient(sent.get(i)), client.refs(), context);
      }
    }
  }

  /**
   * Compares the headers that carry meaning. A request opens a session when phoenix.js appended no session token to
   * its URL (it appends {@code token=null} as a bare {@code &}); otherwise the session token is the URL's last
   * {@code token} parameter (a user's {@code token} param, as in longpoll_rejected, comes first).
   */
  private void compareHeaders(JsonNode line, Exchange actual, String context) {
    JsonNode expected = line.get("headers");
    String url = line.get("url").asText();
    boolean opening = url.endsWith("&") || url.endsWith("?");
    String sessionToken = null;
    if (!opening) {
      for (Map.Entry<String, String> param : queryParams(URI.create(url).getRawQuery())) {
        if (param.getKey().equals("token")) {
          sessionToken = param.getValue();
        }
      }
      require(sessionToken != null, "a poll or send of phoenix.js carries its session token");
    }
    if ("POST".equals(actual.method())) {
      require("application/x-ndjson".equals(actual.header("Content-Type")), context + " is NDJSON");
    } else if (expected.has("Accept")) {
      require(expected.get("Accept").asText().equals(actual.header("Accept")), context + " accepts JSON");
    } else {
      require(expected.has("Content-Type"), "phoenix.js 1.7 sets a Content-Type on its GETs");
      require("application/json".equals(actual.header("Accept")), context + " accepts JSON");
      differences.add(LongPollDifference.NO_CONTENT_TYPE_ON_A_BODYLESS_GET);
    }
    JsonNode authToken = expected.get("X-Phoenix-AuthToken");
    if (authToken != null && opening) {
      require(authToken.asText().equals(actual.header("X-Phoenix-AuthToken")),
          context + " opens the session with the auth token " + authToken.asText());
    } else {
      require(actual.header("X-Phoenix-AuthToken") == null, context + " carries no auth token");
      if (authToken != null) {
        differences.add(LongPollDifference.AUTH_TOKEN_ONLY_ON_THE_OPENING_GET);
      }
    }
    if (opening) {
      require(actual.header("X-Phoenix-Longpoll-Token") == null, context + " has no session yet");
    } else {
      require(sessionToken.equals(actual.header("X-Phoenix-Longpoll-Token")),
          context + " carries its session token in the header too");
      differences.add(LongPollDifference.SESSION_TOKEN_ALSO_IN_A_HEADER);
    }
  }

  private void response(JsonNode line) throws IOException {
    Exchange exchange = exchanges.get(line.get("id").asInt());
    require(exchange != null, "the answered request was made");
    require(line.get("status").asInt() == 200, "Phoenix answers long-poll with HTTP 200");
    JsonNode body = parse(line.get("body").asText());
    List<String> leaveReplies = new ArrayList<>();
    if (body.has("messages")) {
      ObjectNode mapped = JSON.objectNode();
      ArrayNode messages = mapped.putArray("messages");
      for (JsonNode message : body.get("messages")) {
        ObjectNode frameLine = JSON.objectNode().put("dir", "in").put("data", message.asText());
        WireFrame frame = WireFrame.fromTrace(frameLine);
        messages.add((String) frame.forClient(client.refs(), where));
        if ("phx_reply".equals(frame.event()) && leaveRefs.containsKey(frame.ref())) {
          leaveReplies.add(frame.ref());
        }
      }
      for (Map.Entry<String, JsonNode> field : body.properties()) {
        if (!field.getKey().equals("messages")) {
          mapped.set(field.getKey(), field.getValue());
        }
      }
      exchange.respond(mapped.toString());
    } else {
      exchange.respond(body.toString());
    }
    for (String ref : leaveReplies) {
      client.ledger().release(leaveReplyEvent(leaveRefs.remove(ref)));
    }
  }

  private void meta(int index, JsonNode line) throws InterruptedException, IOException {
    require("xhr_abort".equals(line.get("event").asText()), "a known meta event: " + line);
    // The script's disconnect(code, reason): its close is the next socket.onClose note.
    JsonNode close = null;
    for (int i = index + 1; i < lines.size() && close == null; i++) {
      if ("socket.onClose".equals(lines.get(i).path("msg").asText())) {
        close = lines.get(i);
      }
    }
    require(close != null, "the disconnect reports its close");
    disconnectRequested = true;
    Set<String> joined = client.joinedTopics();
    client.disconnect(close.get("code").asInt(), close.get("reason").asText());
    Exchange held = exchanges.get(line.get("id").asInt());
    require(held.awaitAbandoned(LoopDriver.WAIT), "the disconnect aborts the held poll " + held);
    if (!joined.isEmpty()) {
      differences.add(LongPollDifference.LEAVES_BEFORE_A_DISCONNECT);
      Exchange leaves = driver.nextPost();
      Set<String> left = new HashSet<>();
      for (String sent : leaves.lines()) {
        WireFrame frame = WireFrame.fromClient(sent);
        require("phx_leave".equals(frame.event()), "the disconnect's POST holds only phx_leave: " + sent);
        left.add(frame.topic());
      }
      require(left.equals(joined), "the disconnect's POST leaves every joined channel " + joined + ": " + left);
      leaves.respond("{\"status\":200}");
    }
  }

  // ---- notes ----

  private void note(int index, JsonNode line) throws Exception {
    String msg = line.get("msg").asText();
    if ("harness".equals(line.path("conn").asText())) {
      require(PART.matcher(msg).matches(), "a known harness note: " + msg);
      endPart();
      client = null;
      startClient(index);
      return;
    }
    if (client == null) {
      startClient(index);
    }
    Matcher push = PUSH_ACTION.matcher(msg);
    if (push.matches() && line.has("payload")) {
      if (!playedAhead.contains(index)) {
        pushes(index);
      }
      return;
    }
    ObjectNode expected = JSON.objectNode().put("msg", msg);
    Matcher channelNote = CHANNEL_NOTE.matcher(msg);
    if (msg.equals("socket.onOpen")) {
      client.ledger().expect(expected, where);
    } else if (msg.equals("socket.onClose")) {
      socketClose(line, expected);
    } else if (msg.equals("socket.onError")) {
      expected.put("status", Integer.parseInt(line.get("error").asText()));
      client.ledger().expect(expected, where);
    } else if (channelNote.matches() && channelNote.group(2).equals("onError")) {
      JsonNode reason = line.get("reason");
      expected.put("transport", "transport".equals(reason.path("source").asText()));
      expected.set("reason", reason);
      client.ledger().expect(expected, where);
    } else if (channelNote.matches()) {
      boolean byLeave = "leave".equals(line.path("payload").asText(null));
      expected.put("leave", byLeave);
      leaveOutcome(channelNote.group(1), expected, byLeave);
    } else if (msg.equals("leave ok")) {
      leaveOutcome(topicOfLeave(index), expected, true);
    } else if (msg.matches("(join|push)\\(.+\\) (ok|error)")) {
      expected.set("resp", line.get("resp"));
      client.ledger().expect(expected, where);
    } else if (msg.matches("on\\(.+\\)")) {
      expected.set("payload", line.has("payload") ? line.get("payload") : line.get("state"));
      client.ledger().expect(expected, where);
    } else {
      throw new AssertionError("the replay does not know this note: " + line);
    }
  }

  private void socketClose(JsonNode line, ObjectNode expected) {
    if (!line.has("code")) {
      // phoenix.js 1.7 tearing down its closed long-poll object before a reconnect.
      differences.add(LongPollDifference.NO_SECOND_CLOSE_FOR_A_CLOSED_CONNECTION);
      return;
    }
    int code = line.get("code").asInt();
    String reason = line.get("reason").asText();
    if (code == 1000 && !disconnectRequested && client.socket().state() == SocketState.CLOSED) {
      // The script's disconnect of a socket waiting to reconnect: phoenix.js 1.7 closes its closed object again.
      differences.add(LongPollDifference.NO_SECOND_CLOSE_FOR_A_CLOSED_CONNECTION);
      client.disconnect(code, reason);
      return;
    }
    expected.put("code", code).put("reason", reason).put("requested", disconnectRequested);
    disconnectRequested = false;
    client.ledger().expect(expected, where);
  }

  /** phoenix.js closes on sending phx_leave; this client on the server's ok, which must come first. */
  private void leaveOutcome(String topic, ObjectNode expected, boolean byLeave) {
    if (!byLeave) {
      client.ledger().expect(expected, where);
      return;
    }
    if (!client.hasLeft(topic)) {
      client.leave(topic);
    }
    differences.add(LongPollDifference.LEAVE_CLOSES_ON_THE_SERVERS_OK);
    client.ledger().expectLater(expected, where, leaveReplyEvent(topic), true);
  }

  /** The script's pushes noted at this instant: one JavaScript task, so one task of the loop. */
  private void pushes(int index) {
    double at = lines.get(index).get("t_ms").asDouble();
    List<Runnable> actions = new ArrayList<>();
    for (int i = index; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      Matcher push = PUSH_ACTION.matcher(line.path("msg").asText());
      if (!"note".equals(line.get("dir").asText()) || line.get("t_ms").asDouble() != at || !push.matches()
          || !line.has("payload")) {
        break;
      }
      playedAhead.add(i);
      String event = push.group(1);
      String topic = topicOfPush(i, event);
      JsonNode payload = line.get("payload");
      Duration timeout = Duration.ofMillis(line.get("timeoutMs").asLong());
      actions.add(() -> client.push(topic, event, payload, timeout));
    }
    loop.execute(() -> actions.forEach(Runnable::run));
  }

  /** The topic of a pushed event: the one of the next POSTed frame with that event. */
  private String topicOfPush(int from, String event) {
    for (int i = from + 1; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      if ("http_req".equals(line.get("dir").asText()) && "POST".equals(line.get("method").asText())) {
        for (WireFrame frame : framesOf(line)) {
          if (event.equals(frame.event())) {
            return frame.topic();
          }
        }
      }
    }
    throw new AssertionError("cannot tell the topic of push(" + event + ") at " + where);
  }

  /** The topic of the next phx_leave the client POSTs. */
  private String topicOfLeave(int from) {
    return topicOfPush(from, "phx_leave");
  }

  // ---- helpers ----

  /** Lets the client catch up with what is due (its reports follow real HTTP answers), then checks the ledger. */
  private void settle() {
    if (client == null) {
      return;
    }
    try {
      driver.until(() -> !client.ledger().isBehind());
    } catch (ConditionTimeoutException late) {
      // The ledger says what is missing.
    }
    client.ledger().settle();
  }

  private List<WireFrame> framesOf(JsonNode request) {
    List<WireFrame> frames = new ArrayList<>();
    String body = request.path("body").asText("");
    for (String text : body.split("\n")) {
      if (!text.isEmpty()) {
        frames.add(WireFrame.fromTrace(JSON.objectNode().put("dir", "out").put("data", text)));
      }
    }
    return frames;
  }

  private static JsonNode payloadOf(WireFrame frame) {
    JsonNode data = parse(frame.toString());
    return data.isArray() ? data.get(4) : data.get("payload");
  }

  private static List<Map.Entry<String, String>> queryParams(String rawQuery) {
    List<Map.Entry<String, String>> params = new ArrayList<>();
    if (rawQuery == null) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      params.add(Map.entry(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
    }
    return params;
  }

  private static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static String leaveReplyEvent(String topic) {
    return "the server's reply to phx_leave of " + topic;
  }

  private void advanceTo(double tMs) {
    long target = Math.round(tMs * 1_000_000);
    if (target > nowNanos) {
      loop.advance(Duration.ofNanos(target - nowNanos));
      nowNanos = target;
    }
  }

  private static String describe(JsonNode line) {
    return switch (line.get("dir").asText()) {
      case "note" -> "note " + line.path("msg").asText();
      case "http_req" -> "request #" + line.get("id").asText() + " " + line.get("method").asText();
      case "http_resp" -> "answer #" + line.get("id").asText() + " " + line.path("body").asText();
      default -> line.get("dir").asText() + " " + line.path("event").asText();
    };
  }

  private void require(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(version + "/" + trace + " at " + where + ": " + what);
    }
  }
}
