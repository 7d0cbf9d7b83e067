package io.phoenixchannels.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** A server whose WebSockets are blocked, as a proxy blocks them, while long-poll is served: fallback's ground. */
class WebSocketBlockingTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration WAIT = WireClient.WAIT;

  private static int longPollStatus(PhoenixTestServer server) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.httpUrl()
        + "/longpoll?vsn=2.0.0")).build(), HttpResponse.BodyHandlers.ofString());
    return MAPPER.readTree(response.body()).get("status").asInt();
  }

  private static CompletableFuture<WebSocket> webSocket(PhoenixTestServer server) {
    return HTTP.newWebSocketBuilder().buildAsync(URI.create(server.url() + "/websocket?vsn=2.0.0"),
        new WebSocket.Listener() { });
  }

  @Test
  void refusedUpgradesGetTheStatusWhileLongPollOpensSessions() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      server.faults().refuseWebSocketUpgrades(502);
      assertThat(RawWebSocket.connect(server.port(), "/socket/websocket?vsn=2.0.0", Map.of()).status())
          .isEqualTo(502);
      assertThat(longPollStatus(server)).isEqualTo(410);
      assertThat(server.takeConnection(WAIT).transport()).isEqualTo(TransportKind.LONGPOLL);

      server.faults().acceptWebSocketUpgrades();
      webSocket(server).get(WAIT.toMillis(), TimeUnit.MILLISECONDS).abort();
    }
  }

  @Test
  void stalledUpgradesGetNoAnswerUntilWebSocketsAreAcceptedAgain() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      server.faults().stallWebSocketUpgrades();
      CompletableFuture<WebSocket> stalled = webSocket(server);
      assertThatThrownBy(() -> stalled.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
      assertThat(longPollStatus(server)).isEqualTo(410);

      server.faults().reset();
      assertThatThrownBy(() -> stalled.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
              refused -> assertThat(refused.getResponse().statusCode()).isEqualTo(503));
      webSocket(server).get(WAIT.toMillis(), TimeUnit.MILLISECONDS).abort();
    }
  }

  @Test
  void onlyErrorStatusesRefuse() {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      assertThatThrownBy(() -> server.faults().refuseWebSocketUpgrades(101))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
