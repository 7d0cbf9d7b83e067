package io.phoenixchannels.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.Message;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.ProtocolException;
import io.phoenixchannels.ReconnectPolicy;
import io.phoenixchannels.Reply;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Netty transport against the test server's reference app, over real loopback sockets. */
class NettyTransportTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<PhoenixSocket> sockets = new ArrayList<>();
  private NettyEventLoops netty;
  private PhoenixTestServer server;

  @BeforeEach
  void start() {
    netty = NettyEventLoops.create(2);
    server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
  }

  @AfterEach
  void stop() {
    sockets.forEach(PhoenixSocket::close);
    netty.close();
    server.close();
  }

  private PhoenixSocket.Builder builder(PhoenixTestServer target) {
    return PhoenixSocket.builder(target.url()).eventLoop(netty.next()).transport(netty.transport());
  }

  private PhoenixSocket track(PhoenixSocket socket) {
    sockets.add(socket);
    return socket;
  }

  @Nested
  class Messages {
    @Test
    void joinsPushesAndGetsTheReplyAndServerPushes() throws Exception {
      PhoenixSocket socket = track(builder(server).build());
      PhoenixChannel room = socket.channel("room:lobby", Map.of("presence", false));
      List<Message> items = new CopyOnWriteArrayList<>();
      room.on("item", items::add);
      socket.connect();
      room.join().toFuture().get(10, TimeUnit.SECONDS);

      Reply echo = room.push("echo", Map.of("body", "héllo")).toFuture().get(10, TimeUnit.SECONDS);
      assertThat(echo.isOk()).isTrue();
      assertThat(echo.response().path("body").asText()).isEqualTo("héllo");

      Reply many = room.push("push_many", Map.of("n", 3)).toFuture().get(10, TimeUnit.SECONDS);
      assertThat(many.response().path("n").asInt()).isEqualTo(3);
      await().atMost(WAIT).until(() -> items.size() == 3);
      assertThat(items).extracting(m -> m.payload().path("i").asInt()).containsExactly(1, 2, 3);
    }

    @Test
    void carriesBinaryPayloadsBothWays() throws Exception {
      PhoenixSocket socket = track(builder(server).build());
      PhoenixChannel room = socket.channel("room:lobby", Map.of("presence", false));
      socket.connect();
      room.join().toFuture().get(10, TimeUnit.SECONDS);

      byte[] bytes = {0, 1, 2, (byte) 255};
      Reply reply = room.push("binary_echo", bytes).toFuture().get(10, TimeUnit.SECONDS);
      assertThat(reply.response().isBinary()).isTrue();
      assertThat(reply.response().binaryValue()).containsExactly(bytes);
    }

    @Test
    void worksForASocketOnItsOwnEventLoopToo() throws Exception {
      PhoenixSocket socket = track(PhoenixSocket.builder(server.url()).transport(netty.transport()).build());
      PhoenixChannel room = socket.channel("room:lobby", Map.of("presence", false));
      socket.connect();
      room.join().toFuture().get(10, TimeUnit.SECONDS);
      assertThat(room.push("echo", Map.of("n", 1)).toFuture().get(10, TimeUnit.SECONDS).isOk()).isTrue();
    }
  }

  @Nested
  class Selectors {
    @Test
    void usesEpollWhereItsNativeLibraryLoads() {
      boolean linuxX64 = System.getProperty("os.name").startsWith("Linux")
          && System.getProperty("os.arch").equals("amd64");
      assertThat(netty.isNativeEpoll()).isEqualTo(linuxX64);
    }

    @Test
    void worksOnNioToo() throws Exception {
      try (NettyEventLoops nio = NettyEventLoops.createNio(1)) {
        assertThat(nio.isNativeEpoll()).isFalse();
        PhoenixSocket socket = PhoenixSocket.builder(server.url()).eventLoop(nio.next()).transport(nio.transport())
            .build();
        PhoenixChannel room = socket.channel("room:lobby", Map.of("presence", false));
        socket.connect();
        room.join().toFuture().get(10, TimeUnit.SECONDS);
        assertThat(room.push("echo", Map.of("n", 1)).toFuture().get(10, TimeUnit.SECONDS).isOk()).isTrue();
        socket.close();
      }
    }
  }

  @Nested
  class Threads {
    @Test
    void manySocketsShareTheGroupsThreads() throws Exception {
      List<PhoenixChannel> rooms = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        PhoenixSocket socket = track(builder(server).build());
        PhoenixChannel room = socket.channel("room:many", Map.of("presence", false));
        socket.connect();
        rooms.add(room);
      }
      for (PhoenixChannel room : rooms) {
        room.join().toFuture().get(10, TimeUnit.SECONDS);
      }
      long nettyThreads = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("phoenix-netty")).count();
      long loopThreads = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("phoenix-loop") || t.getName().startsWith("phoenix-http")).count();
      assertThat(nettyThreads).isEqualTo(2);
      assertThat(loopThreads).isZero();
    }
  }

  @Nested
  class Failures {
    @Test
    void aRefusedUpgradeFailsWithItsHttpStatus() {
      List<PhoenixException> errors = new CopyOnWriteArrayList<>();
      PhoenixSocket socket = track(builder(server).params(Map.of("token", "bad"))
          .reconnectPolicy(ReconnectPolicy.never()).build());
      socket.onError(errors::add);
      socket.connect();
      await().atMost(WAIT).until(() -> !errors.isEmpty());
      assertThat(errors.get(0)).isInstanceOf(ConnectionException.class);
      assertThat(((ConnectionException) errors.get(0)).httpStatus()).hasValue(403);
    }

    @Test
    void aFrameOverTheLimitClosesWith1009() throws Exception {
      List<PhoenixException> errors = new CopyOnWriteArrayList<>();
      List<CloseEvent> closes = new CopyOnWriteArrayList<>();
      PhoenixSocket socket = track(builder(server).maxInboundFrameBytes(2000)
          .reconnectPolicy(ReconnectPolicy.never()).build());
      socket.onError(errors::add);
      socket.onClose(closes::add);
      PhoenixChannel room = socket.channel("room:lobby", Map.of("presence", false));
      socket.connect();
      room.join().toFuture().get(10, TimeUnit.SECONDS);
      room.push("echo", Map.of("body", "x".repeat(5000)));
      await().atMost(WAIT).until(() -> !closes.isEmpty());
      assertThat(errors).anyMatch(e -> e instanceof ProtocolException);
      assertThat(closes.get(0).code()).isEqualTo(CloseEvent.MESSAGE_TOO_BIG);
    }

    @Test
    void aTokenThatAPhoenix17ServerIgnoresFailsTheConnection() {
      try (PhoenixTestServer old = ReferenceApp.start(PhoenixVersion.PHOENIX_1_7)) {
        List<PhoenixException> errors = new CopyOnWriteArrayList<>();
        PhoenixSocket socket = track(builder(old).authToken("secret-token")
            .reconnectPolicy(ReconnectPolicy.never()).build());
        socket.onError(errors::add);
        socket.connect();
        await().atMost(WAIT).until(() -> !errors.isEmpty());
        assertThat(errors.get(0).getMessage()).contains("did not select the 'phoenix' subprotocol");
        socket.close();
      }
    }

    @Test
    void aTokenWithASlashReachesAPhoenix18Server() throws Exception {
      PhoenixSocket socket = track(builder(server).authToken("tok/with+slash?").build());
      PhoenixChannel room = socket.channel("room:lobby", Map.of("presence", false));
      socket.connect();
      room.join().toFuture().get(10, TimeUnit.SECONDS);
      Reply whoami = room.push("whoami", Map.of()).toFuture().get(10, TimeUnit.SECONDS);
      assertThat(whoami.response().path("user_id").asText()).isEqualTo("tokuser");
    }
  }

  @Nested
  class Closing {
    @Test
    void aDisconnectClosesCleanlyWith1000() throws Exception {
      List<CloseEvent> closes = new CopyOnWriteArrayList<>();
      PhoenixSocket socket = track(builder(server).build());
      socket.onClose(closes::add);
      PhoenixChannel room = socket.channel("room:lobby", Map.of("presence", false));
      socket.connect();
      room.join().toFuture().get(10, TimeUnit.SECONDS);
      socket.disconnect().get(10, TimeUnit.SECONDS);
      assertThat(closes).hasSize(1);
      assertThat(closes.get(0).code()).isEqualTo(CloseEvent.NORMAL);
      assertThat(closes.get(0).requested()).isTrue();
    }

    @Test
    void theServersCloseIsReportedWithItsCodeAndTheSocketReconnects() throws Exception {
      List<CloseEvent> closes = new CopyOnWriteArrayList<>();
      PhoenixSocket socket = track(builder(server).params(Map.of("user_id", "ada")).build());
      socket.onClose(closes::add);
      PhoenixChannel room = socket.channel("room:lobby", Map.of("presence", false));
      socket.connect();
      room.join().toFuture().get(10, TimeUnit.SECONDS);
      room.push("disconnect_me", Map.of());
      await().atMost(WAIT).until(() -> !closes.isEmpty());
      assertThat(closes.get(0).code()).isEqualTo(PhoenixVersion.PHOENIX_1_8.disconnectCloseCode());
      assertThat(closes.get(0).requested()).isFalse();
      await().atMost(WAIT).until(socket::isConnected);
    }
  }

  @Nested
  class FlowControl {
    @Test
    void aSlowApplicationPausesReadingAndEverythingArrivesOnceItCatchesUp() throws Exception {
      PauseCounting counting = new PauseCounting(netty.transport());
      CountDownLatch hold = new CountDownLatch(1);
      ExecutorService callbacks = Executors.newSingleThreadExecutor();
      try {
        PhoenixSocket socket = track(PhoenixSocket.builder(server.url()).eventLoop(netty.next()).transport(counting)
            .inboundWindow(8).callbackExecutor(callbacks).build());
        PhoenixChannel room = socket.channel("room:lobby", Map.of("presence", false));
        List<Integer> items = new CopyOnWriteArrayList<>();
        room.on("item", message -> {
          try {
            hold.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          items.add(message.payload().path("i").asInt());
        });
        socket.connect();
        room.join().toFuture().get(10, TimeUnit.SECONDS);

        room.push("push_many", Map.of("n", 2000));
        await().atMost(WAIT).until(() -> counting.pauses.get() > 0);
        hold.countDown();
        await().atMost(WAIT).until(() -> items.size() == 2000);
        assertThat(items).startsWith(1, 2, 3).endsWith(2000);
        assertThat(counting.resumes.get()).isPositive();
      } finally {
        hold.countDown();
        callbacks.shutdown();
      }
    }
  }

  /** Wraps a transport factory, counting the socket's pauses and resumes. */
  private static final class PauseCounting implements Transport.Factory {
    final AtomicInteger pauses = new AtomicInteger();
    final AtomicInteger resumes = new AtomicInteger();
    private final Transport.Factory delegate;

    PauseCounting(Transport.Factory delegate) {
      this.delegate = delegate;
    }

    @Override
    public Transport open(TransportRequest request, Transport.Listener listener) {
      Transport transport = delegate.open(request, listener);
      return new Transport() {
        @Override
        public void sendText(String text) {
          transport.sendText(text);
        }

        @Override
        public void sendBinary(ByteBuffer data) {
          transport.sendBinary(data);
        }

        @Override
        public void close(int code, String reason) {
          transport.close(code, reason);
        }

        @Override
        public void abort() {
          transport.abort();
        }

        @Override
        public void pauseReading() {
          pauses.incrementAndGet();
          transport.pauseReading();
        }

        @Override
        public void resumeReading() {
          resumes.incrementAndGet();
          transport.resumeReading();
        }

        @Override
        public long queuedBytes() {
          return transport.queuedBytes();
        }
      };
    }
  }
}
