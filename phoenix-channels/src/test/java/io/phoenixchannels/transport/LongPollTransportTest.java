package io.phoenixchannels.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.ProtocolException;
import io.phoenixchannels.internal.UndeliveredSends;
import io.phoenixchannels.testing.LoopDriver;
import io.phoenixchannels.testing.ScriptedHttpServer;
import io.phoenixchannels.testing.ScriptedHttpServer.Exchange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The long-poll transport against a scripted HTTP server, on a manual event loop: the Long-poll lines of the
 * conformance checklist, and what the transport adds (closing, limits, failures). The server answers as Phoenix does:
 * HTTP 200 with the status in the body.
 */
class LongPollTransportTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "SFMyNTY.session-token";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ScriptedHttpServer server;
  private ManualEventLoop loop;
  private Recorder listener;
  private LoopDriver driver;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedHttpServer();
    loop = new ManualEventLoop();
    listener = new Recorder();
    driver = new LoopDriver(loop, server);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  // ---- helpers ----

  private TransportRequest request(String query, String authToken, Map<String, String> headers, int maxFrame) {
    return TransportRequest.builder(URI.create(server.url() + "/socket"))
        .query(query)
        .authToken(authToken)
        .headers(headers)
        .maxInboundFrameBytes(maxFrame)
        .connectTimeout(Duration.ofSeconds(10))
        .eventLoop(loop)
        .longPollTimeout(Duration.ofSeconds(20))
        .build();
  }

  private Transport openWithToken(String authToken) {
    return open(request("user_id=1&vsn=2.0.0", authToken, Map.of(), 1 << 20));
  }

  private Transport open(TransportRequest request) {
    return LongPollTransport.factory(HTTP).open(request, listener);
  }

  /** Opens a session: answers the opening GET with 410 and a token, and returns the first held poll. */
  private Exchange openSession(Transport transport) throws Exception {
    Exchange opening = server.takeGet(WAIT);
    opening.respond(body(410, TOKEN));
    until(() -> listener.events.contains("open"));
    return server.takeGet(WAIT);
  }

  private static String body(int status, String token, String... messages) {
    ObjectNode body = JSON.createObjectNode();
    messages(body, messages);
    body.put("status", status);
    if (token != null) {
      body.put("token", token);
    }
    return body.toString();
  }

  private static void messages(ObjectNode body, String... messages) {
    var array = body.putArray("messages");
    for (String message : messages) {
      array.add(message);
    }
  }

  private Exchange nextGet() throws InterruptedException {
    return driver.nextGet();
  }

  private Exchange nextPost() throws InterruptedException {
    return driver.nextPost();
  }

  /**
   * Cuts a request's connection, and the JDK client's one retry of an idempotent GET on a fresh connection, until
   * the transport closes.
   */
  private void cutUntilClosed(Exchange exchange) throws Exception {
    exchange.cut();
    until(() -> listener.closed() || !server.waiting().isEmpty());
    while (!listener.closed()) {
      server.take(WAIT).cut();
      until(() -> listener.closed() || !server.waiting().isEmpty());
    }
  }

  private void until(BooleanSupplier condition) {
    driver.until(condition);
  }

  // ---- the checklist ----

  @Nested
  class AuthToken {
    @Test
    void noneOrEmptySendsNoHeader() throws Exception {
      openWithToken(null);
      assertThat(server.takeGet(WAIT).header("X-Phoenix-AuthToken")).isNull();
      openWithToken("");
      assertThat(server.takeGet(WAIT).header("X-Phoenix-AuthToken")).isNull();
    }

    @Test
    void aTokenTravelsRawInTheHeaderOfTheOpeningGetOnly() throws Exception {
      Transport transport = openWithToken("tok/with+slash?");
      Exchange opening = server.takeGet(WAIT);
      assertThat(opening.header("X-Phoenix-AuthToken")).isEqualTo("tok/with+slash?");
      assertThat(opening.target()).doesNotContain("tok");
      opening.respond(body(410, TOKEN));
      until(() -> listener.events.contains("open"));
      Exchange poll = server.takeGet(WAIT);
      assertThat(poll.header("X-Phoenix-AuthToken")).as("Phoenix reads it on the opening GET only").isNull();
      transport.sendText("[\"1\",\"1\",\"room:a\",\"phx_join\",{}]");
      loop.runPending();
      assertThat(server.takePost(WAIT).header("X-Phoenix-AuthToken")).isNull();
    }
  }

  @Nested
  class SessionToken {
    @Test
    void pollsAndPostsCarryItAsQueryParameterAndHeaderAfterTheUsersParams() throws Exception {
      Transport transport = open(request("token=users&vsn=2.0.0", null, Map.of(), 1 << 20));
      Exchange opening = server.takeGet(WAIT);
      assertThat(opening.path()).isEqualTo("/socket/longpoll");
      assertThat(opening.queryParams()).containsExactly(Map.entry("token", "users"), Map.entry("vsn", "2.0.0"));
      assertThat(opening.header("X-Phoenix-Longpoll-Token")).isNull();
      assertThat(opening.header("Accept")).isEqualTo("application/json");
      opening.respond(body(410, TOKEN));
      until(() -> listener.events.contains("open"));

      Exchange poll = server.takeGet(WAIT);
      // Phoenix 1.7 reads the query (a repeated name: the last wins); 1.8 prefers the header.
      assertThat(poll.queryParams()).containsExactly(Map.entry("token", "users"), Map.entry("vsn", "2.0.0"),
          Map.entry("token", TOKEN));
      assertThat(poll.header("X-Phoenix-Longpoll-Token")).isEqualTo(TOKEN);
      transport.sendText("[null,\"1\",\"phoenix\",\"heartbeat\",{}]");
      loop.runPending();
      Exchange post = server.takePost(WAIT);
      assertThat(post.query("token")).isEqualTo(TOKEN);
      assertThat(post.header("X-Phoenix-Longpoll-Token")).isEqualTo(TOKEN);
    }

    @Test
    void theUsersHeadersGoOnEveryRequest() throws Exception {
      Transport transport = open(request("vsn=2.0.0", null, Map.of("X-Trace", "abc"), 1 << 20));
      Exchange poll = openSession(transport);
      assertThat(poll.header("X-Trace")).isEqualTo("abc");
      transport.sendText("[]");
      loop.runPending();
      assertThat(server.takePost(WAIT).header("X-Trace")).isEqualTo("abc");
    }
  }

  @Nested
  class Statuses {
    @Test
    void status410BeforeATokenOpensTheSession() throws Exception {
      openWithToken(null);
      Exchange opening = server.takeGet(WAIT);
      assertThat(opening.query("token")).isNull();
      opening.respond(body(410, TOKEN));
      until(() -> listener.events.contains("open"));
      assertThat(listener.events).containsExactly("open");
    }

    @Test
    void status410WithATokenIsAnErrorAndClose3410SessionGone() throws Exception {
      Transport transport = openWithToken(null);
      openSession(transport).respond(body(410, "another"));
      until(() -> listener.closed());
      assertThat(listener.events).containsExactly("open", "error 410", "close 3410 session_gone");
      assertThat(server.waiting()).as("no further poll").isEmpty();
    }

    @Test
    void status200DeliversEachMessageInOrderAndPollsAgain() throws Exception {
      Transport transport = openWithToken(null);
      openSession(transport).respond(body(200, TOKEN, "[null,null,\"t\",\"a\",{}]", "[null,null,\"t\",\"b\",{}]"));
      Exchange next = nextGet();
      until(() -> listener.events.size() == 3);
      assertThat(listener.events).containsExactly("open", "text [null,null,\"t\",\"a\",{}]",
          "text [null,null,\"t\",\"b\",{}]");
      assertThat(next.query("token")).isEqualTo(TOKEN);
    }

    @Test
    void status204PollsAgainAndDeliversNothing() throws Exception {
      Transport transport = openWithToken(null);
      openSession(transport).respond(body(204, TOKEN));
      Exchange next = nextGet();
      loop.runPending();
      assertThat(next.query("token")).isEqualTo(TOKEN);
      assertThat(listener.events).containsExactly("open");
    }

    @Test
    void status403IsAnErrorAndClose1008Forbidden() throws Exception {
      openWithToken(null);
      server.takeGet(WAIT).respond("{\"status\":403}");
      until(() -> listener.closed());
      assertThat(listener.events).containsExactly("error 403", "close 1008 forbidden");
      assertThat(listener.errors.get(0)).isInstanceOf(ConnectionException.class);
    }

    @Test
    void status500IsAnErrorAndClose1011() throws Exception {
      Transport transport = openWithToken(null);
      openSession(transport).respond(body(500, TOKEN));
      until(() -> listener.closed());
      assertThat(listener.events).containsExactly("open", "error 500", "close 1011 internal server error");
    }

    @Test
    void anUnknownStatusIsAnErrorCarryingItAndClose1011() throws Exception {
      openWithToken(null);
      server.takeGet(WAIT).respond("{\"status\":503}");
      until(() -> listener.closed());
      assertThat(listener.events).containsExactly("error 503", "close 1011 internal server error");
    }

    @Test
    void aTransportFailureIsStatus0AnErrorAndClose1011() throws Exception {
      Transport transport = openWithToken(null);
      cutUntilClosed(openSession(transport));
      assertThat(listener.events).containsExactly("open", "error -1", "close 1011 internal server error");
      assertThat(listener.errors.get(0).getMessage()).contains("poll");
    }

    @Test
    void nothingListeningIsAFailureToConnect() throws Exception {
      int closedPort;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = probe.getLocalPort();
      }
      TransportRequest request = TransportRequest.builder(URI.create("http://127.0.0.1:" + closedPort + "/socket"))
          .query("vsn=2.0.0")
          .maxInboundFrameBytes(1024)
          .connectTimeout(Duration.ofSeconds(5))
          .eventLoop(loop)
          .longPollTimeout(Duration.ofSeconds(20))
          .build();
      LongPollTransport.factory(HTTP).open(request, listener);
      until(() -> listener.closed());
      assertThat(listener.events).containsExactly("error -1", "close 1011 internal server error");
      assertThat(listener.errors.get(0).getMessage()).contains("cannot connect");
    }

    @Test
    void anAnswerThatIsNotPhoenixsIsAnErrorWithItsHttpStatusAndClose1011() throws Exception {
      openWithToken(null);
      server.takeGet(WAIT).respond(502, "text/html", "<html>bad gateway</html>");
      until(() -> listener.closed());
      assertThat(listener.events).containsExactly("error 502", "close 1011 internal server error");
      assertThat(listener.errors.get(0).getMessage()).contains("HTTP 502", "proxy");
    }

    @Test
    void aPollWithoutAnswerWithinTheTimeoutIsAnErrorAndClose1005Timeout() throws Exception {
      Transport transport = openWithToken(null);
      Exchange held = openSession(transport);
      loop.advance(Duration.ofSeconds(19));
      assertThat(listener.closed()).isFalse();
      loop.advance(Duration.ofSeconds(1));
      assertThat(listener.events).containsExactly("open", "error -1", "close 1005 timeout");
      assertThat(held.awaitAbandoned(WAIT)).as("the timed-out poll is aborted").isTrue();
    }

    @Test
    void theOpeningGetTimesOutAfterTheConnectTimeout() throws Exception {
      openWithToken(null);
      Exchange opening = server.takeGet(WAIT);
      loop.advance(Duration.ofSeconds(10));
      assertThat(listener.events).containsExactly("error -1", "close 1005 timeout");
      assertThat(listener.errors.get(0).getMessage()).contains("connect", "10000 ms");
      assertThat(opening.awaitAbandoned(WAIT)).isTrue();
    }
  }

  @Nested
  class Sends {
    @Test
    void goAsNdjsonPostsAndRapidSendsCoalesceIntoOneRequest() throws Exception {
      Transport transport = openWithToken(null);
      openSession(transport);
      loop.execute(() -> {
        transport.sendText("[\"1\",\"1\",\"room:a\",\"phx_join\",{}]");
        transport.sendText("[\"1\",\"2\",\"room:a\",\"echo\",{\"n\":1}]");
        transport.sendText("[\"1\",\"3\",\"room:a\",\"echo\",{\"n\":2}]");
      });
      Exchange post = server.takePost(WAIT);
      assertThat(post.header("Content-Type")).isEqualTo("application/x-ndjson");
      assertThat(post.lines()).containsExactly("[\"1\",\"1\",\"room:a\",\"phx_join\",{}]",
          "[\"1\",\"2\",\"room:a\",\"echo\",{\"n\":1}]", "[\"1\",\"3\",\"room:a\",\"echo\",{\"n\":2}]");
      post.respond("{\"status\":200}");
      loop.runPending();
      server.assertNoRequest(Duration.ofMillis(50));
    }

    @Test
    void sendsDuringAnInFlightBatchAreBufferedAndFollowInOrderAfterItsAnswer() throws Exception {
      Transport transport = openWithToken(null);
      openSession(transport);
      transport.sendText("[null,\"1\",\"t\",\"first\",{}]");
      Exchange first = server.takePost(WAIT);
      transport.sendText("[null,\"2\",\"t\",\"second\",{}]");
      transport.sendText("[null,\"3\",\"t\",\"third\",{}]");
      loop.runPending();
      server.assertNoRequest(Duration.ofMillis(50));
      first.respond("{\"status\":200}");
      assertThat(nextPost().lines()).containsExactly("[null,\"2\",\"t\",\"second\",{}]",
          "[null,\"3\",\"t\",\"third\",{}]");
    }

    @Test
    void atMost100LinesARequest150RapidSendsMakeTwoRequestsInOrder() throws Exception {
      Transport transport = openWithToken(null);
      openSession(transport);
      List<String> frames = IntStream.range(0, 150).mapToObj(i -> "[null,\"" + i + "\",\"t\",\"e\",{}]").toList();
      loop.execute(() -> frames.forEach(transport::sendText));
      Exchange first = server.takePost(WAIT);
      assertThat(first.lines()).isEqualTo(frames.subList(0, 100));
      loop.runPending();
      server.assertNoRequest(Duration.ofMillis(50));
      first.respond("{\"status\":200}");
      assertThat(nextPost().lines()).isEqualTo(frames.subList(100, 150));
    }

    @Test
    void binaryFramesGoAsBase64Lines() throws Exception {
      Transport transport = openWithToken(null);
      openSession(transport);
      byte[] frame = {0, 1, 1, 1, 1, '0', '1', 't', 'e', (byte) 0xff};
      loop.execute(() -> {
        transport.sendBinary(ByteBuffer.wrap(frame));
        transport.sendText("[]");
      });
      assertThat(server.takePost(WAIT).lines()).containsExactly(Base64.getEncoder().encodeToString(frame), "[]");
    }

    @Test
    void aBatchPostThatTimesOutIsAnErrorAndClose1005() throws Exception {
      Transport transport = openWithToken(null);
      Exchange held = openSession(transport);
      loop.advance(Duration.ofSeconds(10));
      transport.sendText("[]");
      Exchange post = server.takePost(WAIT);
      held.respond(body(204, TOKEN));
      nextGet();
      loop.advance(Duration.ofSeconds(20));
      assertThat(listener.events).containsExactly("open", "error -1", "close 1005 timeout");
      assertThat(listener.errors.get(0).getMessage()).contains("send");
      assertThat(post.awaitAbandoned(WAIT)).isTrue();
    }

    @Test
    void aPostAnswered410ClosesAsSessionGoneAndReportsItsFramesAndTheQueuedOnesAsUndelivered() throws Exception {
      Transport transport = openWithToken(null);
      openSession(transport);
      byte[] binaryPush = {0, 1, 1, 6, 1, '1', '3', 'r', 'o', 'o', 'm', ':', 'a', 'b', 42};
      loop.execute(() -> {
        transport.sendText("[\"1\",\"2\",\"room:a\",\"echo\",{}]");
        transport.sendBinary(ByteBuffer.wrap(binaryPush));
      });
      Exchange refused = server.takePost(WAIT);
      loop.execute(() -> {
        transport.sendText("[\"1\",\"4\",\"room:a\",\"echo\",{}]");
        transport.sendText("[null,null,\"room:a\",\"no_ref\",{}]");
      });
      loop.runPending();
      refused.respond("{\"status\":410}");
      until(() -> listener.closed());
      assertThat(listener.events).containsExactly("open", "undelivered [2, 3, 4]", "error 410",
          "close 3410 session_gone");
      assertThat(listener.errors.get(0).getMessage()).contains("session is gone");
    }

    @Test
    void aPollAnswered410DuringAPostWaitsForItsAnswerWhichTellsWhetherItsFramesArrived() throws Exception {
      Transport transport = openWithToken(null);
      Exchange held = openSession(transport);
      transport.sendText("[\"1\",\"2\",\"room:a\",\"echo\",{}]");
      Exchange post = server.takePost(WAIT);
      transport.sendText("[\"1\",\"3\",\"room:a\",\"echo\",{}]");
      loop.runPending();
      held.respond(body(410, "another"));
      loop.runPending();
      server.assertNoRequest(Duration.ofMillis(50));
      assertThat(listener.closed()).isFalse();
      post.respond("{\"status\":410}");
      until(() -> listener.closed());
      assertThat(listener.events).containsExactly("open", "undelivered [2, 3]", "error 410",
          "close 3410 session_gone");
    }

    @Test
    void aPollAnswered410DuringAPostTheServerTookReportsOnlyTheFramesQueuedBehindIt() throws Exception {
      Transport transport = openWithToken(null);
      Exchange held = openSession(transport);
      transport.sendText("[\"1\",\"2\",\"room:a\",\"echo\",{}]");
      Exchange post = server.takePost(WAIT);
      transport.sendText("[\"1\",\"3\",\"room:a\",\"echo\",{}]");
      loop.runPending();
      held.respond(body(410, "another"));
      post.respond("{\"status\":200}");
      // Should the loop take the POST's answer before the poll's, frame 3 goes out in a POST of its own, which the
      // gone session refuses: frame 3 is the undelivered one either way.
      until(() -> listener.closed() || !server.waiting().isEmpty());
      if (!listener.closed()) {
        server.takePost(WAIT).respond("{\"status\":410}");
        until(() -> listener.closed());
      }
      assertThat(listener.events).containsExactly("open", "undelivered [3]", "error 410", "close 3410 session_gone");
    }

    @Test
    void aPostAnswered500IsAnErrorSayingWhenPhoenixDoesThatAndClose1011() throws Exception {
      Transport transport = openWithToken(null);
      openSession(transport);
      transport.sendText("[]");
      server.takePost(WAIT).respond(500, "application/json", "{\"errors\":{\"detail\":\"Internal Server Error\"}}");
      until(() -> listener.closed());
      assertThat(listener.events).containsExactly("open", "error 500", "close 1011 internal server error");
      assertThat(listener.errors.get(0).getMessage()).contains("HTTP 500", "Internal Server Error", "binary");
    }

    @Test
    void aV1FrameGoesAloneAsJsonForPhoenixReadsEveryNdjsonLineNotStartingWithABracketAsBase64() throws Exception {
      Transport transport = openWithToken(null);
      openSession(transport);
      String join = "{\"topic\":\"room:a\",\"event\":\"phx_join\",\"payload\":{},\"ref\":\"1\"}";
      String echo = "{\"topic\":\"room:a\",\"event\":\"echo\",\"payload\":{\"n\":1},\"ref\":\"2\"}";
      loop.execute(() -> {
        transport.sendText(join);
        transport.sendText(echo);
      });
      Exchange first = server.takePost(WAIT);
      assertThat(first.header("Content-Type")).isEqualTo("application/json");
      assertThat(first.body()).isEqualTo(join);
      loop.runPending();
      server.assertNoRequest(Duration.ofMillis(50));
      first.respond("{\"status\":200}");
      Exchange second = nextPost();
      assertThat(second.header("Content-Type")).isEqualTo("application/json");
      assertThat(second.body()).isEqualTo(echo);
    }

    @Test
    void aFrameWithALineBreakGoesAloneAndTheBatchesAroundItKeepTheOrder() throws Exception {
      Transport transport = openWithToken(null);
      openSession(transport);
      String pretty = "[\n  null,\"2\",\"t\",\"e\",{}\n]";
      loop.execute(() -> {
        transport.sendText("[null,\"1\",\"t\",\"e\",{}]");
        transport.sendText(pretty);
        transport.sendText("[null,\"3\",\"t\",\"e\",{}]");
      });
      Exchange first = server.takePost(WAIT);
      assertThat(first.lines()).containsExactly("[null,\"1\",\"t\",\"e\",{}]");
      first.respond("{\"status\":200}");
      Exchange second = nextPost();
      assertThat(second.header("Content-Type")).isEqualTo("application/json");
      assertThat(second.body()).isEqualTo(pretty);
      second.respond("{\"status\":200}");
      Exchange third = nextPost();
      assertThat(third.header("Content-Type")).isEqualTo("application/x-ndjson");
      assertThat(third.lines()).containsExactly("[null,\"3\",\"t\",\"e\",{}]");
    }

    @Test
    void queuedBytesCountWhatWaitsForAPost() throws Exception {
      Transport transport = openWithToken(null);
      openSession(transport);
      transport.sendText("[]");
      Exchange post = server.takePost(WAIT);
      loop.execute(() -> transport.sendText("[1,2]"));
      loop.runPending();
      assertThat(transport.queuedBytes()).isEqualTo(5);
      post.respond("{\"status\":200}");
      nextPost();
      assertThat(transport.queuedBytes()).isZero();
    }
  }

  @Nested
  class FlowControl {
    @Test
    void pausedReadingDeliversThePollInFlightThenHoldsBackTheNextUntilResumed() throws Exception {
      Transport transport = openWithToken(null);
      Exchange held = openSession(transport);
      transport.pauseReading();
      loop.runPending();
      held.respond(body(200, TOKEN, "[null,null,\"t\",\"a\",{}]"));
      until(() -> listener.events.size() == 2);
      assertThat(listener.events).containsExactly("open", "text [null,null,\"t\",\"a\",{}]");
      loop.runPending();
      server.assertNoRequest(Duration.ofMillis(100));
      transport.sendText("[]");
      assertThat(nextPost().lines()).as("sends go on").containsExactly("[]");
      transport.resumeReading();
      assertThat(nextGet().query("token")).isEqualTo(TOKEN);
    }

    @Test
    void resumingWithoutAHeldBackPollStartsNoSecondPoll() throws Exception {
      Transport transport = openWithToken(null);
      Exchange held = openSession(transport);
      transport.pauseReading();
      transport.resumeReading();
      loop.runPending();
      server.assertNoRequest(Duration.ofMillis(100));
      held.respond(body(204, TOKEN));
      assertThat(nextGet().query("token")).isEqualTo(TOKEN);
      loop.runPending();
      server.assertNoRequest(Duration.ofMillis(100));
    }
  }

  @Nested
  class Closing {
    @Test
    void closeAbortsTheHeldPollAndReportsTheClose() throws Exception {
      Transport transport = openWithToken(null);
      Exchange held = openSession(transport);
      transport.close(1000, "bye");
      assertThat(listener.events).containsExactly("open", "close 1000 bye");
      assertThat(held.awaitAbandoned(WAIT)).isTrue();
      loop.advance(Duration.ofMinutes(1));
      server.assertNoRequest(Duration.ofMillis(50));
      assertThat(listener.events).containsExactly("open", "close 1000 bye");
    }

    @Test
    void framesSentBeforeACloseStillGoOutThenTheCloseIsReported() throws Exception {
      Transport transport = openWithToken(null);
      Exchange held = openSession(transport);
      loop.execute(() -> {
        transport.sendText("[\"1\",\"9\",\"room:a\",\"phx_leave\",{}]");
        transport.close(1000, "");
      });
      assertThat(held.awaitAbandoned(WAIT)).isTrue();
      Exchange leave = server.takePost(WAIT);
      assertThat(leave.lines()).containsExactly("[\"1\",\"9\",\"room:a\",\"phx_leave\",{}]");
      loop.runPending();
      assertThat(listener.events).containsExactly("open");
      leave.respond("{\"status\":200}");
      until(() -> listener.closed());
      assertThat(listener.events).containsExactly("open", "close 1000 ");
    }

    @Test
    void abortDropsEverythingAndReportsNothing() throws Exception {
      Transport transport = openWithToken(null);
      Exchange held = openSession(transport);
      transport.sendText("[]");
      Exchange post = server.takePost(WAIT);
      transport.abort();
      assertThat(held.awaitAbandoned(WAIT)).isTrue();
      assertThat(post.awaitAbandoned(WAIT)).isTrue();
      loop.advance(Duration.ofMinutes(1));
      assertThat(listener.events).containsExactly("open");
    }

    @Test
    void closingBeforeTheSessionOpenedReportsTheCloseAtOnce() throws Exception {
      Transport transport = openWithToken(null);
      Exchange opening = server.takeGet(WAIT);
      transport.close(1000, "");
      assertThat(listener.events).containsExactly("close 1000 ");
      assertThat(opening.awaitAbandoned(WAIT)).isTrue();
    }
  }

  @Nested
  class Limits {
    @Test
    void aMessageOverTheFrameLimitClosesWith1009() throws Exception {
      Transport transport = open(request("vsn=2.0.0", null, Map.of(), 100));
      openSession(transport).respond(body(200, TOKEN, "[null,null,\"t\",\"e\",{\"x\":\"" + "é".repeat(50) + "\"}]"));
      until(() -> listener.closed());
      assertThat(listener.events).containsExactly("open", "error -1", "close 1009 message too big");
      assertThat(listener.errors.get(0)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void anAnswerOverFourTimesTheFrameLimitClosesWith1009() throws Exception {
      Transport transport = open(request("vsn=2.0.0", null, Map.of(), 100));
      String small = "[null,null,\"t\",\"e\",{\"x\":\"" + "y".repeat(60) + "\"}]";
      openSession(transport).respond(body(200, TOKEN, small, small, small, small, small));
      until(() -> listener.closed());
      assertThat(listener.events).containsExactly("open", "error -1", "close 1009 message too big");
      assertThat(listener.errors.get(0).getMessage()).contains("400 bytes");
    }
  }

  @Test
  void hasNoHeartbeats() throws Exception {
    assertThat(openWithToken(null).needsHeartbeat()).isFalse();
  }

  @Test
  void itsFactoryCarriesNoCustomCodec() {
    assertThat(LongPollTransport.factory(HTTP).carriesCustomCodecs()).isFalse();
  }

  @Test
  void needsTheSocketsEventLoop() {
    TransportRequest noLoop = TransportRequest.builder(URI.create(server.url() + "/socket"))
        .query("vsn=2.0.0")
        .maxInboundFrameBytes(1024)
        .connectTimeout(Duration.ofSeconds(1))
        .build();
    assertThatThrownBy(() -> LongPollTransport.factory(HTTP).open(noLoop, listener))
        .isInstanceOf(ConnectionException.class).hasMessageContaining("event loop");
  }

  @Test
  void refusesAtOnceAHeaderTheJdkClientWillNotSend() {
    assertThatThrownBy(() -> open(request("vsn=2.0.0", null, Map.of("Host", "elsewhere"), 1024)))
        .isInstanceOf(ConnectionException.class).hasMessageContaining("header");
    assertThatThrownBy(() -> openWithToken("line\r\nbreak"))
        .isInstanceOf(ConnectionException.class).hasMessageContaining("X-Phoenix-AuthToken");
  }

  @Test
  void aSecureEndpointPollsOverHttps() {
    TransportRequest request = TransportRequest.builder(URI.create("wss://example.com/socket"))
        .query("vsn=2.0.0")
        .maxInboundFrameBytes(1024)
        .connectTimeout(Duration.ofSeconds(1))
        .eventLoop(loop)
        .longPollTimeout(Duration.ofSeconds(1))
        .build();
    assertThat(request.uri("longpoll", false).toString()).isEqualTo("https://example.com/socket/longpoll?vsn=2.0.0");
  }

  /** What the transport told its listener, as short strings, on the loop. */
  private static final class Recorder implements Transport.Listener, UndeliveredSends {
    final List<String> events = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();

    @Override
    public void onOpen() {
      events.add("open");
    }

    @Override
    public void onText(String text) {
      events.add("text " + text);
    }

    @Override
    public void onBinary(ByteBuffer data) {
      events.add("binary " + data.remaining());
    }

    @Override
    public void undelivered(List<String> refs) {
      events.add("undelivered " + refs);
    }

    @Override
    public void onError(Throwable error) {
      errors.add(error);
      int status = error instanceof ConnectionException connection ? connection.httpStatus().orElse(-1) : -1;
      assertThat(error).isInstanceOf(PhoenixException.class);
      events.add("error " + status);
    }

    @Override
    public void onClose(int code, String reason) {
      events.add("close " + code + " " + reason);
    }

    boolean closed() {
      return events.stream().anyMatch(event -> event.startsWith("close "));
    }
  }
}
