package io.phoenixchannels.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.testing.Traces;
import io.phoenixchannels.transport.WebSocketTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client-side conformance replay: every WebSocket trace ({@code v1_*}, {@code v2_*}) of Phoenix 1.7 and 1.8
 * is played against this client with the server's side scripted from the trace, and the client must send what
 * phoenix.js sent (refs mapped) and report what phoenix.js reported, in order — see {@link TracePlayer} for what
 * exactly is compared, {@link TraceSettings} for the few options a scenario set, and {@link Difference} for where
 * this client deliberately does better than phoenix.js and what the replay asserts instead.
 *
 * <p>DESIGN.md's other differences do not occur in any WebSocket trace — no trace has a server-initiated close
 * (1000/1001, after which this client reconnects), a full buffer, or a message carrying an older join_ref — and are
 * specified in SocketTest and ChannelTest. A message for a left topic does occur (the phx_close after a leave's ok)
 * and must change nothing.
 *
 * <p>The {@code longpoll_*} traces are the long-poll transport's; {@link LongPollReplayTest} replays them over HTTP.
 */
class ClientReplayTest {
  private static final List<String> VERSIONS = List.of("phoenix-1.7", "phoenix-1.8");
  /** The trace that cannot be replayed as phoenix.js ran it, because this client refuses its setup; see below. */
  private static final String SLASH_TOKEN_TRACE = "v2_auth_token_slash";

  /** Traces in which phoenix.js closes a channel on leave before the server's ok. */
  private static final Set<String> LEAVE_BEFORE_THE_SERVERS_OK = Set.of(
      "v1_join_push", "v2_leave", "v2_presence", "v2_join_crash", "v2_join_error");

  static Stream<Arguments> webSocketTraces() {
    List<Arguments> traces = new ArrayList<>();
    for (String version : VERSIONS) {
      List<String> names = new ArrayList<>(Traces.names(version, "v1_"));
      names.addAll(Traces.names(version, "v2_"));
      if (names.isEmpty()) {
        throw new IllegalStateException("no WebSocket traces for " + version + " in " + Traces.directory());
      }
      names.forEach(name -> traces.add(Arguments.of(version, name)));
    }
    return traces.stream();
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("webSocketTraces")
  void clientSendsAndReportsWhatPhoenixJsDid(String version, String trace) throws Exception {
    List<JsonNode> lines = Traces.load(version, trace);
    if (trace.equals(SLASH_TOKEN_TRACE)) {
      slashTokenFailsFast(lines);
      return;
    }
    TracePlayer player = new TracePlayer(version, trace, lines);
    try {
      player.play();
    } catch (AssertionError e) {
      throw new AssertionError(version + "/" + trace + ": " + e.getMessage(), e);
    }

    if (LEAVE_BEFORE_THE_SERVERS_OK.contains(trace)) {
      assertThat(player.differences()).as("the leave closes on the server's ok").contains(
          Difference.LEAVE_CLOSES_ON_THE_SERVERS_OK);
    } else {
      assertThat(player.differences()).doesNotContain(Difference.LEAVE_CLOSES_ON_THE_SERVERS_OK);
    }
    if (version.equals("phoenix-1.7")) {
      assertThat(player.differences()).as("phoenix.js 1.7 errors channels when the transport closes, as we do")
          .doesNotContain(Difference.CHANNEL_ERRORS_WHEN_THE_TRANSPORT_HAS_CLOSED);
    }
  }

  /**
   * v2_auth_token_slash (Phoenix 1.8): the token {@code tok/with+slash?} is {@code dG9rL3dpdGgrc2xhc2g/} in
   * standard Base64, and '/' is not legal in {@code Sec-WebSocket-Protocol}. phoenix.js built that subprotocol
   * anyway; its WebSocket constructor threw inside {@code connect()}, its channel's join then timed out, and 1.5 s
   * later the socket sat closed with the channel errored — nothing on the wire to replay. {@link
   * Difference#AUTH_TOKEN_WITH_A_SLASH_FAILS_FAST}: this client builds the same subprotocol, and refuses the token
   * when the socket is built, naming the cause and the remedies. (The trace's "raw" lines are the harness sending
   * the header by hand to show that the server itself accepts the token: a server fact, for the test server.)
   */
  private static void slashTokenFailsFast(List<JsonNode> lines) throws Exception {
    JsonNode harness = only(lines, "note", "harness");
    String token = harness.get("token").asText();
    assertThat(WebSocketTransport.authTokenSubprotocol(token)).isEqualTo(harness.get("subprotocol").asText());

    JsonNode connect = only(lines, "meta", "A");
    assertThat(connect.get("event").asText()).isEqualTo("connect");
    assertThat(connect.get("protocols").get(1).asText()).isEqualTo(harness.get("subprotocol").asText());
    assertThat(ReplayedClient.authToken(connect)).isEqualTo(token);
    List<String> phoenixJsReported = lines.stream()
        .filter(line -> line.get("dir").asText().equals("note") && line.get("conn").asText().equals("A"))
        .map(line -> line.get("msg").asText()).toList();
    assertThat(phoenixJsReported).as("phoenix.js's failure, which this client replaces")
        .containsExactly("socket.connect() THREW", "join timeout", "state after 1.5 s");

    String url = connect.get("url").asText();
    // The rule is the JDK transport's: the socket builds, and the connection attempt fails at once saying why.
    CompletableFuture<PhoenixException> error = new CompletableFuture<>();
    try (PhoenixSocket socket = PhoenixSocket.builder(url.substring(0, url.indexOf("/websocket")))
        .authToken(token).build()) {
      socket.onError(error::complete);
      socket.connect();
      assertThat(error.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ConnectionException.class)
          .hasMessageContaining("contains '/'")
          .hasMessageContaining("OkHttp")
          .hasMessageContaining("long-poll");
    }
  }

  /** The first line of a trace with this direction and conn. */
  private static JsonNode only(List<JsonNode> lines, String dir, String conn) {
    List<JsonNode> found = lines.stream()
        .filter(line -> line.get("dir").asText().equals(dir) && line.get("conn").asText().equals(conn))
        .toList();
    assertThat(found).as(dir + " lines of " + conn).isNotEmpty();
    return found.get(0);
  }
}
