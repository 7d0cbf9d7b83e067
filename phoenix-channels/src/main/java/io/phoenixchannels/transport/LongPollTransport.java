package io.phoenixchannels.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.EventLoop;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.ProtocolException;
import io.phoenixchannels.internal.AndroidExempt;
import io.phoenixchannels.internal.EndpointUrl;
import io.phoenixchannels.internal.UndeliveredSends;
import io.phoenixchannels.internal.transport.ConnectionErrors;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * The long-poll transport: Phoenix's {@code /longpoll} protocol over {@link java.net.http.HttpClient}, for networks
 * that block WebSocket upgrades (corporate proxies, captive portals, old load balancers). Choose it with {@code
 * PhoenixSocket.Builder.transport(BuiltInTransport.LONG_POLL)} (over the HTTP client sockets share), with {@link
 * #factory(HttpClient)} for your own client, or let a WebSocket socket fall back to it with {@code
 * PhoenixSocket.Builder.longPollFallback(Duration)}. Channels, pushes, replies, Presence and reconnects work as over a
 * WebSocket.
 *
 * <h2>The protocol, as Phoenix 1.7 and 1.8 speak it</h2>
 * <ul>
 *   <li>A GET without a session token opens a session: the body {@code {"status":410,"token":T}} means open. That
 *       GET alone carries the auth token, raw, in {@code X-Phoenix-AuthToken} (Phoenix reads it only there, so
 *       later requests do not repeat the secret); a {@code /} in the token is no problem here.</li>
 *   <li>Then one GET at a time polls, carrying the session token both as the {@code token} query parameter (which
 *       Phoenix 1.7 and 1.8 read) and in {@code X-Phoenix-Longpoll-Token} (which 1.8 prefers). The server holds a
 *       poll for up to its window (10 s by default) and answers {@code 200} with messages or {@code 204} with none;
 *       either way the next poll follows at once. There are no heartbeats: every poll proves the link.</li>
 *   <li>Sends go as POSTs of {@code application/x-ndjson}: one frame per line, at most {@value #MAX_BATCH_LINES}
 *       lines a request. Binary frames (V2 binary pushes) go as base64 lines. Sends made in one burst — one task of
 *       the socket's event loop, for example a buffer flushed on open, or several pushes in one callback — share a
 *       request; sends made while a POST is in flight wait for its answer and follow in the next one, in
 *       order. Phoenix reads every NDJSON line that does not start with {@code [} as Base64, so a frame that cannot
 *       be such a line — every V1 frame (a JSON object), or JSON with a line break — is POSTed alone as {@code
 *       application/json}, which Phoenix decodes with the socket's serializer.</li>
 *   <li>The HTTP status is 200 even for a refusal: the body's {@code status} is what counts. 403 means the socket's
 *       {@code connect/3} refused: the transport closes with 1008 {@code "forbidden"}. 410 once a session is open
 *       means the session is gone (the server restarted or ended it): 3410 {@code "session_gone"}. A POST answered
 *       410 proves that the server took none of its frames: they, and the frames queued behind them, are reported
 *       to a listener that implements the internal {@code UndeliveredSends} (the socket does, and sends those
 *       pushes again after the rejoin). Phoenix does not answer the held poll of a session it ended; the client
 *       notices from its next POST or once that poll's window has passed. 500, any other status, an unreadable
 *       answer or a network failure: 1011. A request that gets no answer within the
 *       long-poll timeout (the socket's {@code longPollTimeout}, 20 s by default; the opening GET uses the
 *       connect timeout): 1005 {@code "timeout"}. Every close but a requested one is preceded by an error, and
 *       the socket reconnects with a new session as its reconnect policy says.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * Phoenix sends only text over long-poll: it cannot send binary replies, pushes or broadcasts to a long-poll client
 * (they are V2 binary frames, which a long-poll answer has no place for): it fails the poll that would carry one
 * with HTTP 500 (and loses the messages queued with it), so the transport closes with 1011 and a push answered with
 * a binary reply times out. Binary pushes from the client do arrive, as base64 lines. A message larger than the socket's {@code
 * maxInboundFrameBytes} closes the transport with 1009, and so does a poll answer larger than four times that
 * limit, so that a server cannot make the client buffer an unbounded body. A custom {@code MessageCodec} cannot be
 * used: long-poll speaks Phoenix's JSON serializers (V2, or V1 with {@code vsn("1.0.0")}), as phoenix.js does, and
 * the socket builder refuses a codec with this transport. A close does not tell the server anything (the protocol
 * has no such request): the server ends the session after a window without a poll. So that other clients see a
 * user leave at once, the socket leaves its joined channels (in one POST, bounded by its close timeout) before an
 * intentional close of this transport. Nothing in
 * the server's answers says whether it read the auth token: Phoenix 1.7, which ignores tokens, opens the session
 * anonymously (over a WebSocket the client sees that no {@code phoenix} subprotocol was selected, and fails the
 * connect instead).
 *
 * <h2>Threads</h2>
 * The transport's state lives on the socket's event loop ({@link TransportRequest#eventLoop()}, which this
 * transport requires): the socket calls it there, the HTTP client's completions are handed over to it, and the
 * listener is called there, one call at a time. Answers are parsed on the HTTP client's threads. Timeouts run on the
 * loop's clock, so a {@link io.phoenixchannels.ManualEventLoop} drives them in tests.
 */
@AndroidExempt("the JDK long-poll transport: java.net.http, JVM only")
public final class LongPollTransport implements Transport {
  /** The most frames one POST carries, as phoenix.js sends them. */
  public static final int MAX_BATCH_LINES = 100;
  /** The header Phoenix 1.8 reads the session token from (1.7 reads only the {@code token} query parameter). */
  public static final String SESSION_TOKEN_HEADER = "X-Phoenix-Longpoll-Token";
  /** The header the session-opening GET carries the auth token in. */
  public static final String AUTH_TOKEN_HEADER = "X-Phoenix-AuthToken";
  /** The close code of a session the server no longer has. */
  public static final int SESSION_GONE = 3410;
  /** The close code of a request that got no answer in time. */
  public static final int TIMEOUT = 1005;
  /** The close code of a connect the server refused. */
  public static final int FORBIDDEN = 1008;
  /** The close code of a server error, an unreadable answer or a network failure. */
  public static final int SERVER_ERROR = 1011;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BODY_LIMIT_FACTOR = 4;
  private static final String TLS_HINT = "for a self-signed certificate, pass an HttpClient with your SSLContext "
      + "through LongPollTransport.factory";

  private final HttpClient client;
  private final Listener listener;
  private final EventLoop loop;
  private final URI baseUri;
  private final String authToken;
  private final Map<String, String> headers;
  private final int maxFrameBytes;
  private final HttpResponse.BodyHandler<byte[]> bodyHandler;
  private final Duration connectTimeout;
  private final Duration requestTimeout;

  // Event-loop state.
  private final LongPollOutbox outbox = new LongPollOutbox(MAX_BATCH_LINES);
  private final Set<Exchange> inFlight = new LinkedHashSet<>();
  private Phase phase = Phase.CONNECTING;
  private String sessionToken;
  private boolean flushScheduled;
  private boolean readingPaused;
  private boolean pollHeldBack;
  /** A poll found the session gone while a POST was in flight: the failure, reported once that POST is answered. */
  private ConnectionException goneAfterPost;
  private int closeCode;
  private String closeReason;

  private enum Phase { CONNECTING, OPEN, CLOSING, CLOSED }

  private enum Kind { POLL, POST }

  /** One HTTP request in flight, with the timer that fails it when it takes too long. */
  private static final class Exchange {
    final Kind kind;
    /** The JDK's own future: cancelling it aborts the request (a future derived from it would not). */
    CompletableFuture<HttpResponse<byte[]>> response;
    EventLoop.Cancellable timer;

    Exchange(Kind kind) {
      this.kind = kind;
    }
  }

  /**
   * An HTTP answer, parsed on the HTTP client's thread.
   *
   * @param httpStatus the HTTP status
   * @param body the JSON body, or {@code null} when it is not JSON
   */
  private record Answer(int httpStatus, JsonNode body) {}

  private LongPollTransport(HttpClient client, TransportRequest request, Listener listener) {
    this.client = client;
    this.listener = listener;
    this.loop = request.eventLoop();
    this.baseUri = request.uri("longpoll", false);
    this.authToken = request.authToken() == null || request.authToken().isEmpty() ? null : request.authToken();
    this.headers = request.headers();
    this.maxFrameBytes = request.maxInboundFrameBytes();
    long bodyLimit = Math.min((long) request.maxInboundFrameBytes() * BODY_LIMIT_FACTOR, Integer.MAX_VALUE - 8);
    this.bodyHandler = BoundedBodySubscriber.handler(bodyLimit);
    this.connectTimeout = request.connectTimeout();
    this.requestTimeout = request.longPollTimeout();
  }

  /**
   * Returns a factory that polls through the given client. Sockets that choose {@code BuiltInTransport.LONG_POLL}
   * share one client; pass your own for a custom {@code SSLContext}, proxy, authenticator or cookie handler.
   *
   * @param client the HTTP client; its executor completes the requests, which never block
   * @return the factory; it {@linkplain Transport.Factory#carriesCustomCodecs() carries no custom codec}
   */
  public static Transport.Factory factory(HttpClient client) {
    return new LongPollFactory(Objects.requireNonNull(client, "client"));
  }

  private static Transport open(HttpClient client, TransportRequest request, Listener listener) {
    if (request.eventLoop() == null) {
      throw new ConnectionException("the long-poll transport runs on the socket's event loop, and this request "
          + "has none (TransportRequest.eventLoop); PhoenixSocket always passes it", -1, null);
    }
    LongPollTransport transport = new LongPollTransport(client, request, listener);
    transport.checkHeaders();
    transport.loop.execute(transport::poll);
    return transport;
  }

  /** Fails at once, like the WebSocket transport, for a header the JDK client refuses to send. */
  private void checkHeaders() {
    HttpRequest.Builder probe = HttpRequest.newBuilder(baseUri);
    try {
      for (Map.Entry<String, String> header : headers.entrySet()) {
        probe.header(header.getKey(), header.getValue());
      }
    } catch (IllegalArgumentException e) {
      throw new ConnectionException("the JDK HTTP client refuses a header of the long-poll requests: "
          + e.getMessage(), -1, e);
    }
    if (authToken != null) {
      try {
        probe.header(AUTH_TOKEN_HEADER, authToken);
      } catch (IllegalArgumentException e) {
        throw new ConnectionException("the auth token cannot travel in the " + AUTH_TOKEN_HEADER + " header (it "
            + "holds characters HTTP headers do not allow, such as line breaks)", -1, e);
      }
    }
  }

  @Override
  public void sendText(String text) {
    onLoop(() -> {
      if (phase != Phase.CLOSING && phase != Phase.CLOSED) {
        outbox.addText(text);
        scheduleFlush();
      }
    });
  }

  @Override
  public void sendBinary(ByteBuffer data) {
    onLoop(() -> {
      if (phase != Phase.CLOSING && phase != Phase.CLOSED) {
        outbox.addBinary(data);
        scheduleFlush();
      }
    });
  }

  /**
   * Counts the characters of the frames waiting for their POST (a binary frame as its Base64), which for the ASCII
   * of most frames is their bytes.
   *
   * @return the characters queued and not yet handed to the HTTP client
   */
  @Override
  public long queuedBytes() {
    return outbox.queuedChars();
  }

  /**
   * Closes: the held poll is aborted at once; frames sent before the close still go out (a POST in flight is
   * awaited, a batch not yet sent is sent), and then the listener hears {@code onClose(code, reason)}. The server is
   * not told: it ends the session after a window without a poll (the socket sends {@code phx_leave} for its joined
   * channels just before, so that their ends are not delayed).
   */
  @Override
  public void close(int code, String reason) {
    onLoop(() -> startClose(code, reason == null ? "" : reason));
  }

  /** Aborts every request in flight and drops what was not sent; the listener hears nothing more. */
  @Override
  public void abort() {
    onLoop(() -> {
      phase = Phase.CLOSED;
      outbox.clear();
      cancelAll();
    });
  }

  /**
   * Holds back the next poll: the answer of the poll in flight, if any, is still delivered, and no poll follows it
   * until {@link #resumeReading()}, so the server keeps the messages for this client meanwhile. Sends go on. A pause
   * longer than the server's session timeout (about 30 s on Phoenix, from the last poll) ends the session: the
   * transport then closes with 3410 once it polls again.
   */
  @Override
  public void pauseReading() {
    onLoop(() -> readingPaused = true);
  }

  /** Polls again after {@link #pauseReading()}, at once if a poll was held back. */
  @Override
  public void resumeReading() {
    onLoop(() -> {
      readingPaused = false;
      if (pollHeldBack) {
        pollHeldBack = false;
        poll();
      }
    });
  }

  /**
   * Long-poll has no heartbeats: every poll proves the link, and Phoenix answers an idle one within its window.
   *
   * @return false
   */
  @Override
  public boolean needsHeartbeat() {
    return false;
  }

  // ---- polling ----

  private void poll() {
    if (phase == Phase.CLOSING || phase == Phase.CLOSED) {
      return;
    }
    boolean opening = sessionToken == null;
    HttpRequest.Builder request = newRequest().GET().header("Accept", "application/json");
    if (opening && authToken != null) {
      request.header(AUTH_TOKEN_HEADER, authToken);
    }
    send(Kind.POLL, request, opening ? connectTimeout : requestTimeout, this::polled);
  }

  private void polled(Answer answer, Throwable failure) {
    if (phase == Phase.CLOSING) {
      return;
    }
    if (failure != null) {
      failed(Kind.POLL, failure);
      return;
    }
    JsonNode body = answer.body();
    if (answer.httpStatus() != 200 || body == null || !body.path("status").canConvertToInt()) {
      unreadable(Kind.POLL, answer);
      return;
    }
    int status = body.get("status").asInt();
    if (status == 410 && sessionToken != null) {
      ConnectionException gone = new ConnectionException("the long-poll session is gone (status 410): the server "
          + "ended it or restarted; reconnecting with a new session", 410, null);
      if (outbox.awaitingAck()) {
        // The POST in flight tells whether the server took its frames: a 410 for it too says it did not.
        goneAfterPost = gone;
      } else {
        fail(gone, SESSION_GONE, "session_gone");
      }
      return;
    }
    if (body.path("token").isTextual()) {
      sessionToken = body.get("token").asText();
    }
    switch (status) {
      case 200 -> {
        if (deliver(body.path("messages"))) {
          pollUnlessPaused();
        }
      }
      case 204 -> pollUnlessPaused();
      case 410 -> {
        if (sessionToken == null) {
          unreadable(Kind.POLL, answer);
          return;
        }
        phase = Phase.OPEN;
        listener.onOpen();
        poll();
        scheduleFlush();
      }
      case 403 -> fail(new ConnectionException("long-poll connect refused with status 403 (the socket's connect/3 "
          + "refused the params or token, or the vsn is unsupported)", 403, null), FORBIDDEN, "forbidden");
      default -> fail(new ConnectionException("long-poll request answered with status " + status, status, null),
          SERVER_ERROR, "internal server error");
    }
  }

  /** Polls again, or, while reading is paused, once it resumes. */
  private void pollUnlessPaused() {
    if (readingPaused) {
      pollHeldBack = true;
    } else {
      poll();
    }
  }

  /** Hands each message to the listener; false when one was over the size limit and the transport closed. */
  private boolean deliver(JsonNode messages) {
    List<String> texts = new ArrayList<>(messages.size());
    for (JsonNode message : messages) {
      if (!message.isTextual()) {
        fail(new ProtocolException("a long-poll answer holds a message that is not a string: "
            + message.getNodeType()), SERVER_ERROR, "internal server error");
        return false;
      }
      String text = message.asText();
      if ((long) text.length() * 3 > maxFrameBytes && text.getBytes(StandardCharsets.UTF_8).length > maxFrameBytes) {
        tooLarge("a message of " + text.getBytes(StandardCharsets.UTF_8).length + " bytes");
        return false;
      }
      texts.add(text);
    }
    texts.forEach(listener::onText);
    return true;
  }

  // ---- sending ----

  /**
   * Flushes after the loop's current task, so that every send of the burst (a buffer flushed on open, pushes made
   * in one callback) joins one request, as phoenix.js gathers the sends of one JavaScript task.
   */
  private void scheduleFlush() {
    if (flushScheduled || outbox.awaitingAck() || outbox.isEmpty() || phase != Phase.OPEN) {
      return;
    }
    flushScheduled = true;
    loop.execute(this::flush);
  }

  private void flush() {
    flushScheduled = false;
    if (outbox.awaitingAck() || (phase != Phase.OPEN && phase != Phase.CLOSING)) {
      return;
    }
    if (outbox.isEmpty()) {
      finishCloseIfDrained();
      return;
    }
    LongPollOutbox.Request next = outbox.next();
    HttpRequest.Builder request = newRequest()
        .header("Content-Type", next.contentType())
        .POST(HttpRequest.BodyPublishers.ofString(next.body(), StandardCharsets.UTF_8));
    send(Kind.POST, request, requestTimeout, this::posted);
  }

  private void posted(Answer answer, Throwable failure) {
    if (failure != null) {
      failed(Kind.POST, failure);
      return;
    }
    JsonNode body = answer.body();
    int status = answer.httpStatus() != 200 || body == null ? answer.httpStatus()
        : body.path("status").asInt(answer.httpStatus());
    if (goneAfterPost != null) {
      fail(goneAfterPost, SESSION_GONE, "session_gone", answer.httpStatus() == 200 && status == 410);
      return;
    }
    if (answer.httpStatus() == 200 && status == 410) {
      // The server looked the session up before reading the body: it took none of these frames.
      fail(new ConnectionException("long-poll send answered with status 410: the session is gone (the server "
          + "ended it or restarted); reconnecting with a new session, and the pushes of that send go again once "
          + "their channels have rejoined", 410, null), SESSION_GONE, "session_gone", true);
      return;
    }
    if (answer.httpStatus() != 200 || body == null || status != 200) {
      fail(new ConnectionException("long-poll send answered with " + (answer.httpStatus() != 200
          ? "HTTP " + answer.httpStatus() + serverErrorHint(answer) : "status " + status), status, null),
          SERVER_ERROR, "internal server error");
      return;
    }
    outbox.acknowledged();
    // What was sent meanwhile goes at once, as one more batch (or the next hundred of a long one).
    flush();
  }

  // ---- closing ----

  private void startClose(int code, String reason) {
    if (phase == Phase.CLOSING || phase == Phase.CLOSED) {
      return;
    }
    if (phase == Phase.CONNECTING) {
      phase = Phase.CLOSED;
      outbox.clear();
      cancelAll();
      listener.onClose(code, reason);
      return;
    }
    phase = Phase.CLOSING;
    closeCode = code;
    closeReason = reason;
    for (Exchange exchange : List.copyOf(inFlight)) {
      if (exchange.kind == Kind.POLL) {
        cancel(exchange);
      }
    }
    if (!outbox.awaitingAck() && !flushScheduled) {
      flush();
    }
  }

  private void finishCloseIfDrained() {
    if (phase == Phase.CLOSING && !outbox.awaitingAck() && outbox.isEmpty()) {
      phase = Phase.CLOSED;
      cancelAll();
      listener.onClose(closeCode, closeReason);
    }
  }

  private void failed(Kind kind, Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof BoundedBodySubscriber.TooLarge tooLarge) {
      tooLarge("an answer of more than " + tooLarge.limit + " bytes (four times the frame limit)");
      return;
    }
    String where = ConnectionErrors.where(baseUri);
    String what = kind == Kind.POLL ? (sessionToken == null ? "connect" : "poll") : "send";
    String message = cause instanceof ConnectException || sessionToken == null
        ? "cannot connect to " + where + ": " + ConnectionErrors.what(baseUri, cause, connectTimeout, TLS_HINT)
        : "long-poll " + what + " to " + where + " failed: " + ConnectionErrors.describe(cause);
    fail(new ConnectionException(message, -1, cause), SERVER_ERROR, "internal server error");
  }

  private void unreadable(Kind kind, Answer answer) {
    String what = kind == Kind.POLL ? "poll" : "send";
    if (answer.httpStatus() == 500 && answer.body() != null && answer.body().has("errors")) {
      fail(new ConnectionException("long-poll " + what + " answered with HTTP 500" + serverErrorHint(answer), 500,
          null), SERVER_ERROR, "internal server error");
      return;
    }
    String answered = answer.httpStatus() != 200 ? "HTTP " + answer.httpStatus()
        : answer.body() == null ? "a body that is not JSON" : "a body without a status: " + abbreviate(answer.body());
    int status = answer.httpStatus() != 200 ? answer.httpStatus() : -1;
    fail(new ConnectionException("long-poll " + what + " answered with " + answered
        + "; not a Phoenix long-poll endpoint, or a proxy in the way", status, null), SERVER_ERROR,
        "internal server error");
  }

  /** What a Phoenix error body says, and when Phoenix answers a long-poll request so. */
  private static String serverErrorHint(Answer answer) {
    JsonNode detail = answer.body() == null ? null : answer.body().path("errors").get("detail");
    if (detail == null || !detail.isTextual()) {
      return "";
    }
    return " (" + detail.asText() + "): the server crashed on the request. Over long-poll Phoenix does so when a "
        + "binary reply, push or broadcast is queued for the client (a poll answer carries only text), or on a "
        + "frame it cannot read";
  }

  private void tooLarge(String what) {
    fail(new ProtocolException("the server sent " + what + ", over the limit of " + maxFrameBytes
        + " bytes (PhoenixSocket.Builder.maxInboundFrameBytes); closing with 1009"), CloseEvent.MESSAGE_TOO_BIG,
        "message too big");
  }

  private void fail(PhoenixException error, int code, String reason) {
    fail(error, code, reason, false);
  }

  /**
   * Ends the transport after a failure: aborts everything, tells a listener that wants to know which frames never
   * reached the server, then what failed and the close.
   *
   * @param postRefused whether the server refused the POST in flight, so that none of its frames reached it
   */
  private void fail(PhoenixException error, int code, String reason, boolean postRefused) {
    if (phase == Phase.CLOSED) {
      return;
    }
    phase = Phase.CLOSED;
    List<String> undelivered = outbox.drainUndelivered(postRefused);
    cancelAll();
    if (!undelivered.isEmpty() && listener instanceof UndeliveredSends interested) {
      interested.undelivered(undelivered);
    }
    listener.onError(error);
    listener.onClose(code, reason);
  }

  // ---- requests ----

  private HttpRequest.Builder newRequest() {
    String uri = baseUri.toString();
    HttpRequest.Builder request;
    if (sessionToken == null) {
      request = HttpRequest.newBuilder(baseUri);
    } else {
      String token = "token=" + EndpointUrl.encodeUriComponent(sessionToken);
      request = HttpRequest.newBuilder(URI.create(uri + (baseUri.getRawQuery() == null ? "?" : "&") + token))
          .header(SESSION_TOKEN_HEADER, sessionToken);
    }
    headers.forEach(request::header);
    return request;
  }

  private void send(Kind kind, HttpRequest.Builder builder, Duration timeout, BiConsumer<Answer, Throwable> then) {
    Exchange exchange = new Exchange(kind);
    inFlight.add(exchange);
    try {
      exchange.timer = loop.schedule(() -> timedOut(exchange, timeout), timeout);
    } catch (RejectedExecutionException loopStopped) {
      inFlight.remove(exchange);
      return;
    }
    try {
      exchange.response = client.sendAsync(builder.build(), bodyHandler);
    } catch (RuntimeException refused) {
      exchange.response = CompletableFuture.failedFuture(refused);
    }
    exchange.response.thenApply(LongPollTransport::parse).whenComplete((answer, failure) -> onLoop(() -> {
      if (inFlight.remove(exchange)) {
        exchange.timer.cancel();
        then.accept(answer, failure);
      }
    }));
  }

  private void timedOut(Exchange exchange, Duration timeout) {
    if (!inFlight.remove(exchange)) {
      return;
    }
    exchange.response.cancel(true);
    String what = exchange.kind == Kind.POST ? "send" : sessionToken == null ? "connect" : "poll";
    fail(new ConnectionException("long-poll " + what + " got no answer within " + timeout.toMillis() + " ms", -1,
        null), TIMEOUT, "timeout");
  }

  private void cancel(Exchange exchange) {
    if (inFlight.remove(exchange)) {
      exchange.timer.cancel();
      if (exchange.response != null) {
        exchange.response.cancel(true);
      }
    }
  }

  private void cancelAll() {
    for (Exchange exchange : List.copyOf(inFlight)) {
      cancel(exchange);
    }
  }

  /** Runs a task on the loop: now when already there, else queued; dropped once the socket's loop has stopped. */
  private void onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException loopStopped) {
      // The socket is closed: nobody is left to tell.
    }
  }

  // ---- helpers ----

  private static Answer parse(HttpResponse<byte[]> response) {
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    return new Answer(response.statusCode(), body == null || body.isMissingNode() ? null : body);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof CancellationException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    for (Throwable inner = cause; inner != null; inner = inner.getCause()) {
      if (inner instanceof BoundedBodySubscriber.TooLarge) {
        return inner;
      }
    }
    return cause;
  }

  private static String abbreviate(JsonNode body) {
    String text = body.toString();
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }

  /** The factory {@link #factory(HttpClient)} returns: long-poll transports over one client. */
  @AndroidExempt("the JDK long-poll transport: java.net.http, JVM only")
  private record LongPollFactory(HttpClient client) implements Transport.Factory {
    @Override
    public Transport open(TransportRequest request, Listener listener) {
      return LongPollTransport.open(client, request, listener);
    }

    @Override
    public boolean carriesCustomCodecs() {
      return false;
    }
  }
}
