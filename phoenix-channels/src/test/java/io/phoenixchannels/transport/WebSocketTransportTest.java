package io.phoenixchannels.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.ConnectionException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class WebSocketTransportTest {

  @Test
  void carriesTheTokenAsPhoenixJsDoes() {
    // phoenix.js: "base64url.bearer.phx." + btoa(token) without "=" padding.
    assertThat(WebSocketTransport.authTokenSubprotocol("secret-token"))
        .isEqualTo("base64url.bearer.phx.c2VjcmV0LXRva2Vu");
    assertThat(WebSocketTransport.authTokenSubprotocol("ab")).isEqualTo("base64url.bearer.phx.YWI");
  }

  @Test
  void failsFastWithCauseAndRemedyForATokenWhoseBase64HasASlash() {
    TransportRequest request = TransportRequest.builder(URI.create("ws://127.0.0.1:9/socket"))
        .query("vsn=2.0.0")
        .authToken("tok/with+slash?")
        .maxInboundFrameBytes(1024)
        .connectTimeout(Duration.ofSeconds(1))
        .build();
    List<Object> events = new ArrayList<>();
    assertThatThrownBy(() -> WebSocketTransport.factory(HttpClient.newHttpClient()).open(request, recorder(events)))
        .isInstanceOf(ConnectionException.class)
        .hasMessageContaining("contains '/'")
        .hasMessageContaining("OkHttp")
        .hasMessageContaining("long-poll");
    assertThat(events).as("nothing was attempted").isEmpty();
  }

  @Test
  void reportsHeadersTheJdkClientReservesAsAFailedConnection() {
    TransportRequest request = TransportRequest.builder(URI.create("ws://127.0.0.1:9/socket"))
        .query("vsn=2.0.0")
        .headers(Map.of("Sec-WebSocket-Key", "x"))
        .maxInboundFrameBytes(1024)
        .connectTimeout(Duration.ofSeconds(1))
        .build();
    List<Object> events = new CopyOnWriteArrayList<>();
    WebSocketTransport.factory(HttpClient.newHttpClient()).open(request, recorder(events));
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
    assertThat(events.get(0)).isInstanceOf(ConnectionException.class).asString().contains("Sec-WebSocket-Key");
    assertThat(events.get(1)).isEqualTo(1006);
  }

  @Test
  void requestsHideTheirSecretsWhenPrinted() {
    TransportRequest request = TransportRequest.builder(URI.create("ws://host:4000/socket?token=inurl"))
        .query("token=inquery&vsn=2.0.0")
        .authToken("intoken")
        .headers(Map.of("Authorization", "x"))
        .maxInboundFrameBytes(1024)
        .connectTimeout(Duration.ofSeconds(1))
        .build();
    assertThat(request.toString()).doesNotContain("inurl", "inquery", "intoken")
        .contains("ws://host:4000/socket");
  }

  private static Transport.Listener recorder(List<Object> events) {
    return new Transport.Listener() {
      @Override
      public void onOpen() {
        events.add("open");
      }

      @Override
      public void onText(String text) {
        events.add(text);
      }

      @Override
      public void onBinary(ByteBuffer data) {
        events.add(data);
      }

      @Override
      public void onError(Throwable error) {
        events.add(error);
      }

      @Override
      public void onClose(int code, String reason) {
        events.add(code);
      }
    };
  }
}
