package io.phoenixchannels.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JDK transport's flow control, against a scripted JDK WebSocket: it asks for the next message only while
 * reading is not paused, and counts what waits to be sent.
 */
class WebSocketTransportFlowControlTest {
  private final ScriptedJdkWebSocket webSocket = new ScriptedJdkWebSocket();
  private final List<String> received = new ArrayList<>();
  private boolean pauseOnNext;
  private Transport transport;

  private void open() {
    transport = WebSocketTransport.factory(webSocket.client()).open(
        TransportRequest.builder(URI.create("ws://127.0.0.1:9/socket")).query("vsn=2.0.0").build(),
        new Transport.Listener() {
          @Override
          public void onOpen() {}

          @Override
          public void onText(String text) {
            received.add(text);
            if (pauseOnNext) {
              // As the socket does: inside the delivery, on the transport's thread.
              transport.pauseReading();
            }
          }

          @Override
          public void onBinary(ByteBuffer data) {}

          @Override
          public void onError(Throwable error) {}

          @Override
          public void onClose(int code, String reason) {}
        });
  }

  @Test
  void asksForOneMessageAtATimeWhileReadingIsOn() {
    open();
    assertThat(webSocket.requested()).as("after the open").isEqualTo(1);
    webSocket.listener().onText(webSocket, "a", true);
    webSocket.listener().onText(webSocket, "b", true);
    assertThat(webSocket.requested()).isEqualTo(3);
    assertThat(received).containsExactly("a", "b");
  }

  @Test
  void aPauseDuringADeliveryHoldsTheNextRequestUntilResumed() {
    open();
    pauseOnNext = true;
    webSocket.listener().onText(webSocket, "a", true);
    assertThat(webSocket.requested()).as("nothing more asked while paused").isEqualTo(1);

    pauseOnNext = false;
    transport.resumeReading();
    assertThat(webSocket.requested()).as("the held request goes out on resume").isEqualTo(2);
    transport.resumeReading();
    assertThat(webSocket.requested()).as("a second resume asks for nothing more").isEqualTo(2);
  }

  @Test
  void aPauseBeforeTheNextFrameHoldsItsRequestToo() {
    open();
    transport.pauseReading();
    webSocket.listener().onText(webSocket, "a", true);
    assertThat(webSocket.requested()).isEqualTo(1);
    transport.resumeReading();
    assertThat(webSocket.requested()).isEqualTo(2);
  }

  @Test
  void countsTheFramesWaitingToBeSentUntilTheJdkHasSentThem() {
    open();
    webSocket.holdSends();
    transport.sendText("12345");
    transport.sendText("123");
    assertThat(transport.queuedBytes()).as("one in the JDK's hands, one queued").isEqualTo(8);
    webSocket.completeHeldSend();
    assertThat(transport.queuedBytes()).isEqualTo(3);
    webSocket.completeHeldSend();
    assertThat(transport.queuedBytes()).isZero();
  }
}
