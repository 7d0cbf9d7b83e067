package io.phoenixchannels.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.ProtocolException;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The transport contract of {@link Transport}, over OkHttp against MockWebServer's WebSocket support. */
class OkHttpTransportTest {
  private static final int MAX_FRAME = 100;

  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient client = new OkHttpClient();
  private final RecordingListener listener = new RecordingListener();
  private final ServerEnd serverEnd = new ServerEnd();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private TransportRequest request(String token, Map<String, String> headers) {
    return TransportRequest.builder(URI.create("ws://" + server.getHostName() + ":" + server.getPort() + "/socket"))
        .query("user_id=1&vsn=2.0.0")
        .authToken(token)
        .headers(headers)
        .maxInboundFrameBytes(MAX_FRAME)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private Transport open(String token) {
    return OkHttpTransport.factory(client).open(request(token, Map.of()), listener);
  }

  private void upgrade() {
    server.enqueue(new MockResponse.Builder().webSocketUpgrade(serverEnd).build());
  }

  private void upgradeSelecting(String subprotocol) {
    server.enqueue(new MockResponse.Builder().addHeader("Sec-WebSocket-Protocol", subprotocol)
        .webSocketUpgrade(serverEnd).build());
  }

  private RecordedRequest upgradeRequest() throws InterruptedException {
    RecordedRequest recorded = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(recorded).as("the upgrade request").isNotNull();
    return recorded;
  }

  @Nested
  class Opening {
    @Test
    void upgradesAtTheTransportUrlWithTheQueryAndHeaders() throws Exception {
      upgrade();
      OkHttpTransport.factory(client).open(request(null, Map.of("X-Client", "phoenix-test")), listener);

      listener.awaitEvent("open");
      RecordedRequest recorded = upgradeRequest();
      assertThat(recorded.getUrl().encodedPath()).isEqualTo("/socket/websocket");
      assertThat(recorded.getUrl().encodedQuery()).isEqualTo("user_id=1&vsn=2.0.0");
      assertThat(recorded.getHeaders().get("X-Client")).isEqualTo("phoenix-test");
      assertThat(recorded.getHeaders().get("Sec-WebSocket-Protocol")).as("no token, no subprotocol").isNull();
      assertThat(listener.events).containsExactly("open");
    }

    @Test
    void goesThroughTheAppsOwnClientWithItsInterceptors() throws Exception {
      upgrade();
      OkHttpClient appClient = client.newBuilder()
          .addInterceptor(chain -> chain.proceed(chain.request().newBuilder().header("X-App", "mine").build()))
          .build();

      OkHttpTransport.factory(appClient).open(request(null, Map.of()), listener);

      listener.awaitEvent("open");
      assertThat(upgradeRequest().getHeaders().get("X-App")).isEqualTo("mine");
    }

    @Test
    void reportsARefusedUpgradeWithItsHttpStatusThenACloseOf1006() {
      server.enqueue(new MockResponse.Builder().code(403).build());
      open(null);

      assertThat(listener.awaitClose()).isEqualTo("close 1006 ");
      assertThat(listener.events).containsExactly("error", "close 1006 ");
      assertThat(listener.errors).singleElement().isInstanceOf(ConnectionException.class)
          .satisfies(e -> assertThat(((ConnectionException) e).httpStatus()).hasValue(403))
          .asString().contains("403");
    }

    @Test
    void reportsAServerThatIsNotThere() throws IOException {
      int port = server.getPort();
      server.close();
      Transport.Factory factory = OkHttpTransport.factory(client);
      factory.open(TransportRequest.builder(URI.create("ws://127.0.0.1:" + port + "/socket"))
          .query("vsn=2.0.0")
          .maxInboundFrameBytes(MAX_FRAME)
          .connectTimeout(Duration.ofSeconds(5))
          .build(), listener);

      assertThat(listener.awaitClose()).isEqualTo("close 1006 ");
      assertThat(listener.errors).singleElement().isInstanceOf(ConnectionException.class)
          .satisfies(e -> assertThat(((ConnectionException) e).httpStatus()).isEmpty());
    }

    @Test
    void refusesAHeaderOkHttpCannotSendBeforeConnecting() {
      assertThatThrownBy(() -> OkHttpTransport.factory(client)
          .open(request(null, Map.of("X-Bad", "line\nbreak")), listener))
          .isInstanceOf(ConnectionException.class).hasMessageContaining("OkHttp refuses");
      assertThat(server.getRequestCount()).isZero();
      assertThat(listener.events).isEmpty();
    }
  }

  @Nested
  class AuthToken {
    @Test
    void offersThePhoenixSubprotocolsAndOpensWhenTheServerSelectsPhoenix() throws Exception {
      upgradeSelecting("phoenix");
      open("secret-token");

      listener.awaitEvent("open");
      assertThat(upgradeRequest().getHeaders().get("Sec-WebSocket-Protocol"))
          .isEqualTo("phoenix, base64url.bearer.phx.c2VjcmV0LXRva2Vu");
    }

    @Test
    void sendsATokenWhoseBase64HasASlashWhichTheJdkClientCannot() throws Exception {
      upgradeSelecting("phoenix");
      open("tok/with+slash?");

      listener.awaitEvent("open");
      String offered = upgradeRequest().getHeaders().get("Sec-WebSocket-Protocol");
      assertThat(offered).isEqualTo("phoenix, base64url.bearer.phx.dG9rL3dpdGgrc2xhc2g/")
          .as("standard Base64, as Phoenix decodes it").contains("/");
    }

    @Test
    void failsWhenTheServerSelectsNoPhoenixSubprotocolAfterATokenWasSent() {
      upgrade(); // a Phoenix 1.7 server: ignores the token, selects nothing
      open("secret-token");

      assertThat(listener.awaitClose()).isEqualTo("close 1006 auth token not accepted");
      assertThat(listener.events).containsExactly("error", "close 1006 auth token not accepted");
      assertThat(listener.errors).singleElement().isInstanceOf(ConnectionException.class)
          .asString().contains("did not select the 'phoenix' subprotocol");
      serverEnd.awaitGone();
    }
  }

  @Nested
  class Frames {
    @Test
    void carriesTextBothWays() {
      upgrade();
      Transport transport = open(null);
      listener.awaitEvent("open");

      transport.sendText("[null,\"1\",\"phoenix\",\"heartbeat\",{}]");
      serverEnd.awaitEvent("text:[null,\"1\",\"phoenix\",\"heartbeat\",{}]");
      serverEnd.awaitOpen().send("héllo");
      listener.awaitEvent("text:héllo");
    }

    @Test
    void carriesBinaryBothWays() {
      upgrade();
      Transport transport = open(null);
      listener.awaitEvent("open");

      transport.sendBinary(ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xff}));
      serverEnd.awaitEvent("binary:0001ff");
      serverEnd.awaitOpen().send(ByteString.of((byte) 2, (byte) 0xfe));
      listener.awaitEvent("binary:02fe");
      assertThat(listener.overlapped()).isFalse();
    }

    @Test
    void failsATextFrameOverTheLimitWithAProtocolExceptionAndCloses1009() {
      upgrade();
      open(null);
      listener.awaitEvent("open");

      serverEnd.awaitOpen().send("é".repeat(MAX_FRAME / 2)); // exactly the limit in UTF-8 bytes
      listener.awaitEvent("text:" + "é".repeat(MAX_FRAME / 2));
      serverEnd.socket.send("é".repeat(MAX_FRAME / 2 + 1)); // fewer chars than the limit, more bytes

      assertThat(listener.awaitClose()).isEqualTo("close 1009 message too big");
      assertThat(listener.errors).singleElement().isInstanceOf(ProtocolException.class)
          .asString().contains("102 bytes");
      serverEnd.awaitEvent("closing 1009 message too big");
    }

    @Test
    void failsABinaryFrameOverTheLimitTheSameWay() {
      upgrade();
      open(null);
      listener.awaitEvent("open");

      serverEnd.awaitOpen().send(ByteString.of(new byte[MAX_FRAME + 1]));

      assertThat(listener.awaitClose()).isEqualTo("close 1009 message too big");
      assertThat(listener.events).containsExactly("open", "error", "close 1009 message too big");
      assertThat(listener.errors).singleElement().isInstanceOf(ProtocolException.class);
    }
  }

  @Nested
  class Closing {
    @Test
    void aClientCloseEndsWithTheServersAnswerOnce() {
      upgrade();
      Transport transport = open(null);
      listener.awaitEvent("open");

      transport.close(CloseEvent.NORMAL, "bye");

      serverEnd.awaitEvent("closing 1000 bye");
      assertThat(listener.awaitClose()).isEqualTo("close 1000 bye");
      assertThat(listener.events).containsExactly("open", "close 1000 bye");
    }

    @Test
    void aServerCloseIsReportedWithItsCodeAndReasonAndAnswered() {
      upgrade();
      open(null);
      listener.awaitEvent("open");

      serverEnd.awaitOpen().close(4001, "kicked");

      assertThat(listener.awaitClose()).isEqualTo("close 4001 kicked");
      serverEnd.awaitEvent("closing 1000 ");
      assertThat(listener.events).containsExactly("open", "close 4001 kicked");
    }

    @Test
    void aLostConnectionIsAnErrorAndA1006() throws Exception {
      upgrade();
      open(null);
      listener.awaitEvent("open");

      serverEnd.awaitOpen();
      server.close(); // MockWebServer drops its open connections: no close frame, as when a network goes away

      assertThat(listener.awaitClose()).isEqualTo("close 1006 ");
      assertThat(listener.events).containsExactly("open", "error", "close 1006 ");
    }

    @Test
    void abortDropsTheConnectionAndReportsNothingMore() {
      upgrade();
      Transport transport = open(null);
      listener.awaitEvent("open");

      transport.abort();

      serverEnd.awaitGone();
      transport.sendText("after abort"); // ignored, not thrown
      assertThat(serverEnd.events).doesNotContain("text:after abort");
      assertThat(listener.events).containsExactly("open");
    }

    @Test
    void abortWhileConnectingReportsNothingAtAll() throws Exception {
      upgrade();
      Transport transport = open(null);
      transport.abort();

      // The call ends in the dispatcher after OkHttp reported its outcome to the transport: a barrier, not a sleep.
      await().atMost(RecordingListener.DEADLINE).until(() -> client.dispatcher().runningCallsCount() == 0
          && client.dispatcher().queuedCallsCount() == 0);
      assertThat(listener.events).isEmpty();
    }
  }

  @Nested
  class FlowControl {
    @Test
    void aPauseHoldsOkHttpsReaderThreadAfterTheFrameUntilResumed() {
      upgrade();
      List<String> texts = new CopyOnWriteArrayList<>();
      AtomicReference<Thread> reader = new AtomicReference<>();
      AtomicReference<Transport> transport = new AtomicReference<>();
      transport.set(OkHttpTransport.factory(client).open(request(null, Map.of()), new RecordingListener() {
        @Override
        public void onText(String text) {
          texts.add(text);
          if (text.equals("a")) {
            reader.set(Thread.currentThread());
            transport.get().pauseReading(); // as the socket does: inside the delivery
          }
        }
      }));
      await().atMost(RecordingListener.DEADLINE).until(() -> serverEnd.socket != null);
      serverEnd.socket.send("a");
      serverEnd.socket.send("b");
      await().atMost(RecordingListener.DEADLINE).until(() -> reader.get() != null
          && reader.get().getState() == Thread.State.WAITING);
      assertThat(texts).as("the reader is held after 'a'").containsExactly("a");

      transport.get().resumeReading();
      await().atMost(RecordingListener.DEADLINE).until(() -> texts.size() == 2);
      assertThat(texts).containsExactly("a", "b");
      transport.get().abort();
    }

    @Test
    void anAbortReleasesAHeldReader() {
      upgrade();
      AtomicReference<Thread> reader = new AtomicReference<>();
      AtomicReference<Transport> transport = new AtomicReference<>();
      transport.set(OkHttpTransport.factory(client).open(request(null, Map.of()), new RecordingListener() {
        @Override
        public void onText(String text) {
          reader.set(Thread.currentThread());
          transport.get().pauseReading();
        }
      }));
      await().atMost(RecordingListener.DEADLINE).until(() -> serverEnd.socket != null);
      serverEnd.socket.send("a");
      await().atMost(RecordingListener.DEADLINE).until(() -> reader.get() != null
          && reader.get().getState() == Thread.State.WAITING);
      transport.get().abort();
      await().atMost(RecordingListener.DEADLINE).until(() -> reader.get().getState() != Thread.State.WAITING);
    }
  }
}
