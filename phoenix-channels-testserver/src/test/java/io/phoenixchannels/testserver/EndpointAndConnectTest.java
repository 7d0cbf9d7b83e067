package io.phoenixchannels.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The socket endpoint and the connect step: URLs, vsn negotiation, the connect handler, auth tokens, socket ids. */
class EndpointAndConnectTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static int status(PhoenixTestServer server, String pathAndQuery) throws Exception {
    return RawWebSocket.connect(server.port(), pathAndQuery, Map.of()).status();
  }

  @Nested
  class Endpoint {
    @Test
    void listensOnAFreeLoopbackPortAndGivesItsUrls() {
      try (PhoenixTestServer server = PhoenixTestServer.builder().start()) {
        assertThat(server.port()).isPositive();
        assertThat(server.url()).isEqualTo("ws://127.0.0.1:" + server.port() + "/socket");
        assertThat(server.httpUrl()).isEqualTo("http://127.0.0.1:" + server.port() + "/socket");
        assertThat(server.isRunning()).isTrue();
      }
    }

    @Test
    void servesAConfiguredPath() throws Exception {
      try (PhoenixTestServer server = PhoenixTestServer.builder().path("/live").start()) {
        assertThat(server.url()).endsWith("/live");
        assertThat(status(server, "/live/websocket?vsn=2.0.0")).isEqualTo(101);
        assertThat(status(server, "/socket/websocket?vsn=2.0.0")).isEqualTo(404);
      }
    }

    @Test
    void answersAPlainGetToTheWebSocketPathWith400AndOtherPathsWith404() throws Exception {
      try (PhoenixTestServer server = PhoenixTestServer.builder().start()) {
        HttpResponse<String> plain = HTTP.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/websocket"))
            .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/nothing"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(other.statusCode()).isEqualTo(404);
      }
    }

    @Test
    void declinesPerMessageDeflateAsPhoenixDoes() throws Exception {
      try (PhoenixTestServer server = PhoenixTestServer.builder().start()) {
        RawWebSocket.Handshake handshake = RawWebSocket.connect(server.port(), "/socket/websocket?vsn=2.0.0",
            Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"));
        assertThat(handshake.status()).isEqualTo(101);
        assertThat(handshake.header("Sec-WebSocket-Extensions")).isNull();
        handshake.socket().close();
      }
    }

    @Test
    void choosesV1WithoutVsnAndV2ForTwoDotZeroVersions() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
        RawWebSocket v1 = RawWebSocket.connect(server.port(), "/socket/websocket", Map.of()).socket();
        v1.sendText("{\"topic\":\"room:a\",\"event\":\"phx_join\",\"payload\":{\"presence\":false},\"ref\":\"1\","
            + "\"join_ref\":\"1\"}");
        assertThat(v1.take(WireClient.WAIT).text()).isEqualTo("{\"event\":\"phx_reply\",\"payload\":{\"response\":"
            + "{\"joined\":\"room:a\",\"params\":{\"presence\":false}},\"status\":\"ok\"},\"ref\":\"1\",\"topic\":"
            + "\"room:a\"}");
        assertThat(server.takeConnection(WireClient.WAIT).vsn()).isEqualTo("1.0.0");
        assertThat(status(server, "/socket/websocket?vsn=2.0.7")).isEqualTo(101);
        assertThat(server.takeConnection(WireClient.WAIT).vsn()).isEqualTo("2.0.0");
        v1.close();
      }
    }

    @Test
    void refusesUnsupportedVersionsWith403() throws Exception {
      try (PhoenixTestServer server = PhoenixTestServer.builder().start()) {
        assertThat(status(server, "/socket/websocket?vsn=3.0.0")).isEqualTo(403);
        assertThat(status(server, "/socket/websocket?vsn=2.1.0")).isEqualTo(403);
        assertThat(status(server, "/socket/websocket?vsn=banana")).isEqualTo(403);
        assertThat(server.connections()).isEmpty();
      }
    }

    @Test
    void refusesANonStringVsnWith403On18And500On17() throws Exception {
      try (PhoenixTestServer v18 = PhoenixTestServer.builder().start();
          PhoenixTestServer v17 = PhoenixTestServer.builder().version(PhoenixVersion.PHOENIX_1_7).start()) {
        assertThat(status(v18, "/socket/websocket?vsn[a]=2.0.0")).isEqualTo(403);
        assertThat(status(v17, "/socket/websocket?vsn[a]=2.0.0")).isEqualTo(500);
      }
    }
  }

  @Nested
  class ConnectHandlerAndTokens {
    @Test
    void seesParamsHeadersAndTheAuthTokenAndSelectsPhoenix() throws Exception {
      LinkedBlockingQueue<ConnectRequest> seen = new LinkedBlockingQueue<>();
      try (PhoenixTestServer server = PhoenixTestServer.builder().connectHandler(request -> {
        seen.add(request);
        return ConnectDecision.accept("users_socket:ada", Map.of("role", "admin"));
      }).start()) {
        String token = "base64url.bearer.phx." + Base64.getEncoder().withoutPadding()
            .encodeToString("s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        RawWebSocket.Handshake handshake = RawWebSocket.connect(server.port(),
            "/socket/websocket?user_id=ada&filter[kind]=chat&vsn=2.0.0",
            Map.of("X-Client", "tests", "Sec-WebSocket-Protocol", "phoenix, " + token));

        assertThat(handshake.status()).isEqualTo(101);
        assertThat(handshake.header("sec-websocket-protocol")).isEqualTo("phoenix");
        ConnectRequest request = seen.poll(5, TimeUnit.SECONDS);
        assertThat(request.param("user_id")).isEqualTo("ada");
        assertThat(request.params().get("filter").get("kind").asText()).isEqualTo("chat");
        assertThat(request.header("x-client")).isEqualTo("tests");
        assertThat(request.authToken()).contains("s3cret");
        assertThat(request.transport()).isEqualTo(TransportKind.WEBSOCKET);
        assertThat(request.toString()).doesNotContain("s3cret").doesNotContain("ada");
        ClientConnection connection = server.takeConnection(WireClient.WAIT);
        assertThat(connection.socketId()).contains("users_socket:ada");
        assertThat(connection.assigns()).containsEntry("role", "admin");
        handshake.socket().close();
      }
    }

    @Test
    void refusesWith403AndAnEmptyBodyCarryingPhoenixWhenATokenWasRead() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
        RawWebSocket.Handshake refused = RawWebSocket.connect(server.port(), "/socket/websocket?token=bad&vsn=2.0.0",
            Map.of());
        RawWebSocket.Handshake wrongToken = RawWebSocket.connect(server.port(), "/socket/websocket?vsn=2.0.0",
            Map.of("Sec-WebSocket-Protocol", "phoenix, base64url.bearer.phx.d3Jvbmc"));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("content-length")).isEqualTo("0");
        assertThat(refused.header("sec-websocket-protocol")).isNull();
        assertThat(wrongToken.status()).isEqualTo(403);
        assertThat(wrongToken.header("sec-websocket-protocol")).isEqualTo("phoenix");
        assertThat(server.connections()).isEmpty();
      }
    }

    @Test
    void phoenix17IgnoresTokensAndSelectsNoSubprotocol() throws Exception {
      LinkedBlockingQueue<ConnectRequest> seen = new LinkedBlockingQueue<>();
      try (PhoenixTestServer server = PhoenixTestServer.builder().version(PhoenixVersion.PHOENIX_1_7)
          .connectHandler(request -> {
            seen.add(request);
            return ConnectDecision.accept();
          }).start()) {
        RawWebSocket.Handshake handshake = RawWebSocket.connect(server.port(), "/socket/websocket?vsn=2.0.0",
            Map.of("Sec-WebSocket-Protocol", "phoenix, base64url.bearer.phx.c2VjcmV0LXRva2Vu"));

        assertThat(handshake.status()).isEqualTo(101);
        assertThat(handshake.header("sec-websocket-protocol")).isNull();
        assertThat(seen.poll(5, TimeUnit.SECONDS).authToken()).isEmpty();
        handshake.socket().close();
      }
    }

    @Test
    void answers500ForABase64UrlTokenAndIgnoresTwoTokens() throws Exception {
      LinkedBlockingQueue<ConnectRequest> seen = new LinkedBlockingQueue<>();
      try (PhoenixTestServer server = PhoenixTestServer.builder().connectHandler(request -> {
        seen.add(request);
        return ConnectDecision.accept();
      }).start()) {
        RawWebSocket.Handshake base64Url = RawWebSocket.connect(server.port(), "/socket/websocket?vsn=2.0.0",
            Map.of("Sec-WebSocket-Protocol", "phoenix, base64url.bearer.phx.a-b_c"));
        assertThat(base64Url.status()).isEqualTo(500);
        assertThat(base64Url.header("content-type")).isEqualTo("application/json; charset=utf-8");
        assertThat(base64Url.body()).isEqualTo("{\"errors\":{\"detail\":\"Internal Server Error\"}}");
        assertThat(seen).as("the connect handler never ran").isEmpty();
        RawWebSocket.Handshake two = RawWebSocket.connect(server.port(), "/socket/websocket?vsn=2.0.0",
            Map.of("Sec-WebSocket-Protocol", "phoenix, base64url.bearer.phx.YQ, base64url.bearer.phx.Yg"));
        assertThat(two.status()).isEqualTo(101);
        assertThat(seen.poll(5, TimeUnit.SECONDS).authToken()).isEmpty();
        two.socket().close();
      }
    }

    @Test
    void phoenix18SelectsPhoenixAndRefusesOnlyUnknownSubprotocolsWith403() throws Exception {
      LinkedBlockingQueue<ConnectRequest> seen = new LinkedBlockingQueue<>();
      String token = "base64url.bearer.phx.c2VjcmV0LXRva2Vu";
      try (PhoenixTestServer server = PhoenixTestServer.builder().connectHandler(request -> {
        seen.add(request);
        return ConnectDecision.accept();
      }).start()) {
        assertThat(offering(server, "phoenix")).isEqualTo("101 phoenix");
        assertThat(offering(server, "chat, phoenix")).isEqualTo("101 phoenix");
        assertThat(offering(server, token)).as("nothing left once the token is out").isEqualTo("101 -");
        assertThat(seen).hasSize(3);
        seen.clear();

        assertThat(offering(server, "chat")).isEqualTo("403 -");
        assertThat(offering(server, "chat, superchat")).isEqualTo("403 -");
        assertThat(offering(server, "chat, " + token)).isEqualTo("403 -");
        assertThat(offering(server, "Phoenix")).as("names are case-sensitive").isEqualTo("403 -");
        assertThat(seen).as("the connect handler never ran").isEmpty();
      }
    }

    @Test
    void phoenix18ReadsTheFirstSubprotocolHeader() throws Exception {
      String token = "base64url.bearer.phx.c2VjcmV0LXRva2Vu";
      LinkedBlockingQueue<ConnectRequest> seen = new LinkedBlockingQueue<>();
      try (PhoenixTestServer server = PhoenixTestServer.builder().connectHandler(request -> {
        seen.add(request);
        return ConnectDecision.accept();
      }).start()) {
        // RawWebSocket writes header values as they are: a line break starts a second header of the same name.
        assertThat(offering(server, "chat\r\nSec-WebSocket-Protocol: phoenix")).isEqualTo("403 -");
        assertThat(offering(server, "phoenix\r\nSec-WebSocket-Protocol: " + token)).isEqualTo("101 phoenix");
        assertThat(seen.poll(5, TimeUnit.SECONDS).authToken()).as("only the first header holds tokens").isEmpty();
        // The token taken out of a header that held nothing else removes it: the next header is checked.
        assertThat(offering(server, token + "\r\nSec-WebSocket-Protocol: phoenix")).isEqualTo("101 phoenix");
        assertThat(seen.poll(5, TimeUnit.SECONDS).authToken()).contains("secret-token");
      }
    }

    @Test
    void phoenix17IgnoresSubprotocols() throws Exception {
      try (PhoenixTestServer server = PhoenixTestServer.builder().version(PhoenixVersion.PHOENIX_1_7).start()) {
        assertThat(offering(server, "chat")).isEqualTo("101 -");
        assertThat(offering(server, "phoenix")).isEqualTo("101 -");
        assertThat(offering(server, "phoenix, base64url.bearer.phx.a-b_c")).isEqualTo("101 -");
      }
    }

    /** Offers subprotocols and returns the status and the selected subprotocol ("-" for none). */
    private String offering(PhoenixTestServer server, String subprotocols) throws IOException {
      RawWebSocket.Handshake handshake = RawWebSocket.connect(server.port(), "/socket/websocket?vsn=2.0.0",
          Map.of("Sec-WebSocket-Protocol", subprotocols));
      if (handshake.socket() != null) {
        handshake.socket().close();
      }
      String selected = handshake.header("sec-websocket-protocol");
      return handshake.status() + " " + (selected == null ? "-" : selected);
    }

    @Test
    void aThrowingConnectHandlerAnswers500AndTheServerKeepsServing() throws Exception {
      int[] calls = {0};
      try (PhoenixTestServer server = PhoenixTestServer.builder().connectHandler(request -> {
        if (calls[0]++ == 0) {
          throw new IllegalStateException("connect handler fails on purpose");
        }
        return ConnectDecision.accept();
      }).start()) {
        assertThat(status(server, "/socket/websocket?vsn=2.0.0")).isEqualTo(500);
        assertThat(status(server, "/socket/websocket?vsn=2.0.0")).isEqualTo(101);
      }
    }

    @Test
    void disconnectsEverySocketOfAnIdWith1001AndLeavesOthersAlone() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient first = WireClient.connect(server, "user_id=ann&vsn=2.0.0");
          WireClient second = WireClient.connect(server, "user_id=ann&vsn=2.0.0");
          WireClient other = WireClient.connect(server, "user_id=bob&vsn=2.0.0")) {
        // The server registers a connection just after the 101: wait for all three before disconnecting.
        ClientConnection firstOnServer = server.takeConnection(WireClient.WAIT);
        server.takeConnection(WireClient.WAIT);
        server.takeConnection(WireClient.WAIT);
        server.disconnect("users_socket:ann");

        assertThat(first.awaitClose()).isEqualTo(1001);
        assertThat(second.awaitClose()).isEqualTo(1001);
        other.expectNothingMore();
        assertThat(firstOnServer.awaitClose(WireClient.WAIT)).isEqualTo(new ConnectionClose(1001, "", true));
      }
    }

    @Test
    void disconnectsWith1000InPhoenix17Mode() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_7);
          WireClient client = WireClient.connect(server, "user_id=ann&vsn=2.0.0")) {
        server.takeConnection(WireClient.WAIT);
        server.disconnect("users_socket:ann");
        assertThat(client.awaitClose()).isEqualTo(1000);
      }
    }

    @Test
    void validatesItsOptions() {
      assertThatThrownBy(() -> PhoenixTestServer.builder().channel("room:*:x", () -> null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("end with *");
      assertThatThrownBy(() -> PhoenixTestServer.builder().path("socket"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> PhoenixTestServer.builder().idleTimeout(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> PhoenixTestServer.builder().maxChannelsPerSocket(0))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
