package io.phoenixchannels.testserver.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.internal.protocol.Frame;
import io.phoenixchannels.testserver.TransportKind;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code <path>/longpoll}, as Phoenix.Transports.LongPoll answers it: a GET without a live session token opens a
 * session ({@code {"status":410,"token":T,"messages":[]}}, or {@code {"status":403}} when refused); a GET with one
 * polls; a POST publishes its frames ({@code {"status":200}}, or {@code 410} without a session). The HTTP status
 * is 200 for all of these: the body's status is what counts. A request Phoenix crashes on gets HTTP 500 and
 * Phoenix's JSON error body instead ({@link #writeServerError}).
 */
final class LongPollEndpoint {
  private static final String TOKEN_HEADER = "x-phoenix-longpoll-token";

  private final ServerCore core;
  private final ConcurrentHashMap<String, LongPollSession> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  LongPollEndpoint(ServerCore core) {
    this.core = core;
  }

  void handle(Request request, Response response, Callback callback) throws Exception {
    switch (request.getMethod()) {
      case "GET" -> {
        LongPollSession session = session(request);
        if (session != null) {
          session.listen(response, callback);
        } else {
          open(request, response, callback);
        }
      }
      case "POST" -> {
        LongPollSession session = session(request);
        if (session == null) {
          writeJson(core, response, callback, status(410));
        } else {
          publish(session, request, response, callback);
        }
      }
      case "OPTIONS" -> {
        response.setStatus(200);
        response.getHeaders().put("access-control-allow-origin", "*");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        response.write(true, null, callback);
      }
      default -> {
        response.setStatus(400);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        response.write(true, null, callback);
      }
    }
  }

  /** Ends every session (a server stop): held polls are answered at once. */
  void endAll() {
    List.copyOf(sessions.values()).forEach(LongPollSession::stop);
  }

  private LongPollSession session(Request request) {
    String token = null;
    if (core.options().version().atLeast18()) {
      token = request.getHeaders().get(TOKEN_HEADER);
    }
    if (token == null) {
      var query = QueryParams.parse(request.getHttpURI().getQuery()).get("token");
      token = query != null && query.isTextual() ? query.asText() : null;
    }
    if (token == null) {
      return null;
    }
    LongPollSession session = sessions.get(token);
    return session != null && session.isOpen() ? session : null;
  }

  private void open(Request request, Response response, Callback callback) {
    Negotiation negotiation = core.negotiator().negotiate(TransportKind.LONGPOLL, request.getHttpURI().getQuery(),
        WebSocketUpgrade.headers(request.getHeaders()), List.of(), WebSocketUpgrade.remote(request));
    if (!negotiation.accepted()) {
      writeJson(core, response, callback, status(negotiation.httpStatus()));
      return;
    }
    byte[] secret = new byte[24];
    random.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    LongPollSession session = new LongPollSession(core, token, ended -> sessions.remove(ended.token(), ended));
    sessions.put(token, session);
    session.start(core.open(negotiation, session));
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putArray("messages");
    body.put("status", 410);
    body.put("token", token);
    writeJson(core, response, callback, body);
  }

  /**
   * Dispatches a POST's frames in order. Phoenix splits a body of exactly {@code application/x-ndjson} into lines,
   * takes a line that starts with {@code [} as a text frame and any other as a binary frame in Base64; any other body
   * is one text frame. A line that is not Base64 (a V1 object, say) crashes the request: the lines before it were
   * dispatched, the rest are not, and the answer is HTTP 500.
   */
  private void publish(LongPollSession session, Request request, Response response, Callback callback)
      throws Exception {
    String body = Content.Source.asString(request, StandardCharsets.UTF_8);
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    ConnectionImpl connection = session.connection();
    if (!"application/x-ndjson".equals(contentType)) {
      connection.received(Frame.text(body));
    } else {
      for (String line : body.split("\r?\n")) {
        if (line.isEmpty()) {
          continue;
        }
        Frame frame = frameOf(line);
        if (frame == null) {
          core.logger().log(Level.WARNING, () -> "connection #" + connection.id() + ": a long-poll NDJSON line "
              + "that is neither a V2 array nor Base64 (a V1 frame must be POSTed alone, as application/json); "
              + "answering HTTP 500, as Phoenix does");
          connection.executor().execute(() -> writeServerError(core, response, callback));
          return;
        }
        connection.received(frame);
      }
    }
    // Phoenix answers once every line was dispatched, so the replies are queued before this response.
    connection.executor().execute(() -> writeJson(core, response, callback, status(200)));
  }

  /** A line starting with {@code [} is a text frame; any other a binary frame in padded Base64, else null. */
  private static Frame frameOf(String line) {
    if (line.startsWith("[")) {
      return Frame.text(line);
    }
    if (line.length() % 4 != 0) {
      return null;
    }
    try {
      return Frame.binary(Base64.getDecoder().decode(line));
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  private static ObjectNode status(int status) {
    return JsonNodeFactory.instance.objectNode().put("status", status);
  }

  /**
   * Answers as Phoenix answers a long-poll request that crashed: HTTP 500, the error body of its JSON error view,
   * and Plug's default headers (none of the transport's own).
   */
  static void writeServerError(ServerCore core, Response response, Callback callback) {
    try {
      response.setStatus(500);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=0, private, must-revalidate");
      Content.Sink.write(response, true, "{\"errors\":{\"detail\":\"Internal Server Error\"}}", callback);
    } catch (RuntimeException e) {
      core.logger().log(Level.DEBUG, () -> "cannot answer a long-poll request: " + e);
      callback.failed(e);
    }
  }

  /** Writes a JSON body with the headers Phoenix puts on every long-poll response. */
  static void writeJson(ServerCore core, Response response, Callback callback, ObjectNode body) {
    String json;
    try {
      json = core.options().mapper().writeValueAsString(body);
    } catch (JsonProcessingException e) {
      callback.failed(e);
      return;
    }
    try {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
      if (core.options().version().atLeast18()) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      }
      response.getHeaders().put("access-control-allow-origin", "*");
      Content.Sink.write(response, true, json, callback);
    } catch (RuntimeException e) {
      // The client went away (an aborted poll): nothing to answer.
      core.logger().log(Level.DEBUG, () -> "cannot answer a long-poll request: " + e);
      callback.failed(e);
    }
  }
}
