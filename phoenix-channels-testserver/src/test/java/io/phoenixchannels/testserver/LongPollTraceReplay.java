package io.phoenixchannels.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Replays the client side of a long-poll trace against a test server. The grouping of messages into poll
 * responses depends on timing, so a poller plays phoenix.js's poll loop and the server's messages are compared as
 * one stream per session, in order; the session handshakes, the POST answers, the refusals and the idle 204 are
 * compared request by request. As with WebSocket traces, every message recorded before a POST must have arrived
 * before that POST is sent.
 */
final class LongPollTraceReplay {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final List<JsonNode> lines;
  private final String base;
  private final boolean v18;
  private final HttpClient http;
  private final ReplayMapping mapping = new ReplayMapping();
  private final Map<Integer, JsonNode> responses = new HashMap<>();
  private Session current;

  /** One session: its token, the poll loop, and the messages the trace says it received. */
  private final class Session {
    final String token;
    final JsonNode pollTemplate;
    final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Integer> statuses = new LinkedBlockingQueue<>();
    final List<Integer> expected = new ArrayList<>();
    boolean expectIdle;
    int matched;
    volatile boolean stopped;

    Session(String token, JsonNode pollTemplate) {
      this.token = token;
      this.pollTemplate = pollTemplate;
      Thread poller = new Thread(this::pollLoop, "longpoll-replay-poller");
      poller.setDaemon(true);
      poller.start();
    }

    private void pollLoop() {
      while (!stopped) {
        try {
          HttpResponse<String> response = http.send(request(pollTemplate, token, null), HttpResponse.BodyHandlers
              .ofString());
          JsonNode body = MAPPER.readTree(response.body());
          int status = body.path("status").asInt();
          if (!stopped) {
            body.path("messages").forEach(message -> received.add(message.asText()));
            statuses.add(status);
          }
          if (status != 200 && status != 204) {
            return;
          }
        } catch (Exception e) {
          statuses.add(-1);
          return;
        }
      }
    }
  }

  LongPollTraceReplay(List<JsonNode> lines, String base, boolean v18) {
    this.lines = lines;
    this.base = base;
    this.v18 = v18;
    this.http = HttpClient.newBuilder().connectTimeout(WAIT).build();
    for (JsonNode line : lines) {
      if (line.path("dir").asText().equals("http_resp")) {
        responses.put(line.get("id").asInt(), line);
      }
    }
  }

  void run() throws Exception {
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      switch (line.path("dir").asText()) {
        case "http_req" -> request(i, line);
        case "http_resp" -> response(i, line);
        case "meta" -> {
          if (line.path("event").asText().equals("xhr_abort")) {
            endSession();
          }
        }
        default -> { }
      }
    }
    endSession();
  }

  private void request(int index, JsonNode line) throws Exception {
    if (line.get("method").asText().equals("GET")) {
      if (current == null) {
        openSession(index, line);
      }
      return; // polls are the poller's job
    }
    awaitMessagesBefore(index);
    HttpResponse<String> response = http.send(request(line, current.token, line.get("body").asText()),
        HttpResponse.BodyHandlers.ofString());
    JsonNode expected = responses.get(line.get("id").asInt());
    compareBody(index, expected, response);
  }

  /** A GET without a session token: a new session (410 and a token) or a refusal (403). */
  private void openSession(int index, JsonNode line) throws Exception {
    endSession();
    HttpResponse<String> response = http.send(request(line, null, null), HttpResponse.BodyHandlers.ofString());
    JsonNode expected = responses.get(line.get("id").asInt());
    JsonNode body = compareBody(index, expected, response);
    if (body.path("status").asInt() == 410) {
      JsonNode template = null;
      for (int j = index + 1; j < lines.size() && template == null; j++) {
        JsonNode next = lines.get(j);
        if (next.path("dir").asText().equals("http_req") && next.get("method").asText().equals("GET")) {
          template = next;
        }
      }
      current = new Session(body.get("token").asText(), template != null ? template : line);
    }
  }

  /** A recorded poll response: its messages join the session's expected stream. */
  private void response(int index, JsonNode line) throws Exception {
    JsonNode body = MAPPER.readTree(line.get("body").asText());
    if (current == null || !body.has("messages") || body.path("status").asInt() == 410) {
      return;
    }
    if (body.path("status").asInt() == 204) {
      current.expectIdle = true;
    }
    for (int k = 0; k < body.get("messages").size(); k++) {
      current.expected.add(index * 1000 + k);
    }
  }

  private void awaitMessagesBefore(int index) throws Exception {
    if (current == null) {
      return;
    }
    while (current.matched < current.expected.size() && current.expected.get(current.matched) / 1000 < index) {
      matchNext();
    }
  }

  private void matchNext() throws Exception {
    int key = current.expected.get(current.matched);
    JsonNode recorded = MAPPER.readTree(lines.get(key / 1000).get("body").asText()).get("messages").get(key % 1000);
    String actual = current.received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    check(actual != null, key / 1000, "no message from the server within " + WAIT.toMillis() + " ms; expected "
        + recorded.asText());
    String problem = mapping.mismatch(MAPPER.readTree(recorded.asText()), MAPPER.readTree(actual));
    check(problem == null, key / 1000, problem + "\n  expected " + recorded.asText() + "\n  got      " + actual);
    current.matched++;
  }

  /** The client left the session: every recorded message (and the idle 204, if recorded) must have come. */
  private void endSession() throws Exception {
    if (current == null) {
      return;
    }
    while (current.matched < current.expected.size()) {
      matchNext();
    }
    if (current.expectIdle) {
      boolean idle = false;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!idle && System.nanoTime() < deadline) {
        Integer status = current.statuses.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        idle = status != null && status == 204;
      }
      check(idle, lines.size() - 1, "an idle poll was not answered with 204 within " + WAIT.toMillis() + " ms");
    }
    current.stopped = true;
    current = null;
  }

  private JsonNode compareBody(int index, JsonNode expected, HttpResponse<String> response) throws Exception {
    check(response.statusCode() == expected.get("status").asInt(), index, "expected HTTP "
        + expected.get("status") + ", got " + response.statusCode());
    check(response.headers().firstValue("content-type").orElse("").equals(expected.get("content_type").asText()),
        index, "content-type " + response.headers().firstValue("content-type"));
    if (v18) {
      check(response.headers().firstValue("cache-control").orElse("").equals("no-store"), index,
          "expected cache-control: no-store, got " + response.headers().firstValue("cache-control"));
    }
    JsonNode expectedBody = MAPPER.readTree(expected.get("body").asText());
    JsonNode body = MAPPER.readTree(response.body());
    if (expectedBody.has("token")) {
      check(body.has("token"), index, "no token in " + response.body());
      String problem = mapping.token(expectedBody.get("token").asText(), body.get("token").asText());
      check(problem == null, index, problem);
      ((com.fasterxml.jackson.databind.node.ObjectNode) expectedBody).remove("token");
      body = body.deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) body).remove("token");
    }
    String problem = mapping.mismatch(expectedBody, body);
    check(problem == null, index, problem + "\n  expected " + expected.get("body").asText() + "\n  got      "
        + response.body());
    return MAPPER.readTree(response.body());
  }

  /** The trace's request, with our session token in place of the recorded one. */
  private HttpRequest request(JsonNode line, String token, String body) {
    String url = line.get("url").asText();
    if (token != null) {
      url = url.replaceAll("token=[^&]+", "token=" + token);
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + url)).timeout(Duration.ofSeconds(30));
    line.path("headers").properties().forEach(header -> builder.header(header.getKey(), header.getValue()
        .asText()));
    return body == null ? builder.GET().build() : builder.POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static void check(boolean ok, int index, String problem) {
    if (!ok) {
      throw new AssertionError("trace line " + (index + 1) + ": " + problem);
    }
  }
}
