package io.phoenixchannels.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.ManualEventLoop;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A send that fails because the TCP connection closed, raced against the server's close frame the JDK is about to
 * deliver: the server's close code must win (it decides reconnects, and listeners report it), and a failure the
 * receiving side never explains still ends the connection, with 1006, once the grace period is over.
 */
class WebSocketTransportSendFailureTest {
  private final ManualEventLoop loop = new ManualEventLoop();
  private final ScriptedJdkWebSocket webSocket = new ScriptedJdkWebSocket();
  private final List<Object> events = new ArrayList<>();
  private final Transport transport = WebSocketTransport.factory(webSocket.client()).open(
      TransportRequest.builder(URI.create("ws://127.0.0.1:9/socket"))
          .query("vsn=2.0.0")
          .maxInboundFrameBytes(1024)
          .connectTimeout(Duration.ofSeconds(1))
          .eventLoop(loop)
          .longPollTimeout(TransportRequest.DEFAULT_LONG_POLL_TIMEOUT)
          .build(),
      new Transport.Listener() {
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
          events.add("binary");
        }

        @Override
        public void onError(Throwable error) {
          events.add(error);
        }

        @Override
        public void onClose(int code, String reason) {
          events.add(code);
        }
      });

  @Test
  void theServersCloseCodeWinsOverASendThatFailedFirst() {
    webSocket.failSends(new IOException("closed output"));
    transport.sendText("[null,\"1\",\"room:a\",\"echo\",{}]");
    // The JDK then delivers the close frame that arrived before the connection closed.
    webSocket.listener().onClose(webSocket, 1011, "server error");
    loop.advance(JdkWebSocketTransport.SEND_FAILURE_GRACE.multipliedBy(4));

    assertThat(events).containsExactly("open", 1011);
    assertThat(webSocket.isAborted()).as("aborting would have dropped the close frame").isFalse();
  }

  @Test
  void aSendFailureNothingExplainsEndsTheConnectionWith1006AfterTheGrace() {
    webSocket.failSends(new IOException("closed output"));
    transport.sendText("[null,\"1\",\"room:a\",\"echo\",{}]");
    transport.sendText("[null,\"2\",\"room:a\",\"echo\",{}]");
    loop.advance(JdkWebSocketTransport.SEND_FAILURE_GRACE.minusMillis(1));
    assertThat(events).as("still waiting for the receiving side").containsExactly("open");

    loop.advance(Duration.ofMillis(1));
    assertThat(events).hasSize(3);
    assertThat(events.get(1)).isInstanceOf(ConnectionException.class).asString()
        .contains("WebSocket send failed").contains("closed output");
    assertThat(events.get(2)).isEqualTo(1006);
    assertThat(webSocket.isAborted()).isTrue();
    assertThat(webSocket.sent()).as("nothing was sent after the first failure").isEmpty();
  }
}
