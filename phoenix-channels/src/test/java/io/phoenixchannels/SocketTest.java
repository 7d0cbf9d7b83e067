package io.phoenixchannels;

import static io.phoenixchannels.testing.ServerFrames.broadcast;
import static io.phoenixchannels.testing.ServerFrames.heartbeatReply;
import static io.phoenixchannels.testing.ServerFrames.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.testing.ServerFrames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Socket lines of the conformance checklist, on a manual clock and a fake transport. */
class SocketTest {
  private final ManualEventLoop loop = new ManualEventLoop();
  private final FakeTransport transport = new FakeTransport();
  private final List<PhoenixException> errors = new ArrayList<>();
  private final List<CloseEvent> closes = new ArrayList<>();

  private PhoenixSocket.Builder builder() {
    return PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop).transport(transport);
  }

  private PhoenixSocket socket() {
    return watch(builder().build());
  }

  private PhoenixSocket watch(PhoenixSocket socket) {
    socket.onError(errors::add);
    socket.onClose(closes::add);
    return socket;
  }

  private PhoenixSocket connected() {
    PhoenixSocket socket = socket();
    socket.connect();
    transport.last().open();
    return socket;
  }

  private void advanceMillis(long millis) {
    loop.advance(Duration.ofMillis(millis));
  }

  @Nested
  class Defaults {
    @Test
    void hasNoChannelsAndSendsNothingOnConnect() {
      PhoenixSocket socket = connected();
      assertThat(socket.channels()).isEmpty();
      assertThat(transport.last().sentFrames()).isEmpty();
    }

    @Test
    void appendsWebsocketToTheEndpointAndSendsVsn2() {
      socket().connect();
      assertThat(transport.last().request().uri("websocket", true))
          .hasToString("ws://example.test/socket/websocket?vsn=2.0.0");
    }

    @Test
    void pushesTimeOutAfterTenSeconds() {
      PhoenixSocket socket = connected();
      PhoenixChannel channel = socket.channel("room:1");
      channel.join();
      transport.last().receive(ok("1", "1", "room:1"));
      List<String> outcomes = new ArrayList<>();
      channel.push("ping", Map.of()).receive("timeout", () -> outcomes.add("timeout"));
      advanceMillis(9_999);
      assertThat(outcomes).isEmpty();
      advanceMillis(1);
      assertThat(outcomes).containsExactly("timeout");
    }

    @Test
    void sendsTheFirstHeartbeatAfterThirtySeconds() {
      connected();
      advanceMillis(29_999);
      assertThat(transport.last().sentWithEvent("heartbeat")).isEmpty();
      advanceMillis(1);
      assertThat(transport.last().sentWithEvent("heartbeat")).hasSize(1);
    }

    @Test
    void reconnectsOnPhoenixJsSteps() {
      socket().connect();
      List<Long> delays = new ArrayList<>();
      long lastAttempt = loop.elapsed().toMillis();
      for (int attempt = 0; attempt < 12; attempt++) {
        int before = transport.count();
        transport.last().fail(new RuntimeException("refused"));
        while (transport.count() == before) {
          advanceMillis(1);
        }
        long now = loop.elapsed().toMillis();
        delays.add(now - lastAttempt);
        lastAttempt = now;
      }
      assertThat(delays).containsExactly(10L, 50L, 100L, 150L, 200L, 250L, 500L, 1000L, 2000L, 5000L, 5000L, 5000L);
    }
  }

  @Nested
  class Params {
    @Test
    void sendsLiteralParamsBeforeVsn() {
      builder().params(Map.of("token", "abc")).build().connect();
      assertThat(transport.last().request().uri("websocket", true))
          .hasToString("ws://example.test/socket/websocket?token=abc&vsn=2.0.0");
    }

    @Test
    void rereadsAParamsSupplierOnEveryConnect() {
      AtomicInteger calls = new AtomicInteger();
      PhoenixSocket socket = builder().params(() -> Map.of("n", calls.incrementAndGet())).build();
      socket.connect();
      transport.last().open().serverClose(1006, "");
      advanceMillis(10);
      assertThat(transport.connections().get(0).request().query()).isEqualTo("n=1&vsn=2.0.0");
      assertThat(transport.connections().get(1).request().query()).isEqualTo("n=2&vsn=2.0.0");
    }

    @Test
    void sendsTheChosenVsn() {
      builder().vsn("1.0.0").build().connect();
      assertThat(transport.last().request().query()).isEqualTo("vsn=1.0.0");
    }
  }

  @Nested
  class Connect {
    @Test
    void opensATransport() {
      PhoenixSocket socket = socket();
      socket.connect();
      assertThat(transport.count()).isEqualTo(1);
      assertThat(socket.state()).isEqualTo(SocketState.CONNECTING);
    }

    @Test
    void isIdempotentWhileConnectingAndWhenOpen() {
      PhoenixSocket socket = socket();
      socket.connect();
      socket.connect();
      assertThat(transport.count()).isEqualTo(1);
      transport.last().open();
      socket.connect();
      assertThat(transport.count()).isEqualTo(1);
    }

    @Test
    void rereadsTheAuthTokenSupplierOnEveryReconnect() {
      AtomicInteger calls = new AtomicInteger();
      PhoenixSocket socket = builder().authToken(() -> "token-" + calls.incrementAndGet()).build();
      socket.connect();
      transport.last().open().serverClose(1011, "");
      advanceMillis(10);
      assertThat(transport.connections()).extracting(c -> c.request().authToken())
          .containsExactly("token-1", "token-2");
    }

    @Test
    void neverPutsTheAuthTokenInTheUrl() {
      builder().authToken("secret").build().connect();
      assertThat(transport.last().request().uri("websocket", true).toString()).doesNotContain("secret");
      assertThat(transport.last().request().toString()).doesNotContain("secret");
    }

    @Test
    void passesCustomHeaders() {
      builder().header("X-Tenant", "acme").build().connect();
      assertThat(transport.last().request().headers()).containsEntry("X-Tenant", "acme");
    }
  }

  @Nested
  class Disconnect {
    @Test
    void closesTheTransportCompletesAndFiresCloseListeners() {
      PhoenixSocket socket = connected();
      CompletableFuture<Void> done = socket.disconnect(4001, "bye");
      assertThat(transport.last().isClosed()).isTrue();
      assertThat(transport.last().closeCode()).isEqualTo(4001);
      assertThat(done).isCompleted();
      assertThat(closes).containsExactly(new CloseEvent(4001, "bye", true, null));
      assertThat(socket.state()).isEqualTo(SocketState.CLOSED);
    }

    @Test
    void isSafeWithoutAConnectionAndWhenCalledTwice() {
      PhoenixSocket socket = socket();
      assertThat(socket.disconnect()).isCompleted();
      socket.connect();
      transport.last().open();
      assertThat(socket.disconnect()).isCompleted();
      assertThat(socket.disconnect()).isCompleted();
      assertThat(closes).hasSize(1);
    }

    @Test
    void staysClosingUntilThePeerAnswersThenGivesUpAfterASecond() {
      FakeTransport deaf = new FakeTransport().withoutCloseConfirmation();
      PhoenixSocket socket = watch(PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop)
          .transport(deaf).build());
      socket.connect();
      deaf.last().open();
      CompletableFuture<Void> done = socket.disconnect();
      assertThat(socket.state()).isEqualTo(SocketState.CLOSING);
      assertThat(done).isNotDone();
      advanceMillis(1_000);
      assertThat(deaf.last().isAborted()).isTrue();
      assertThat(done).isCompleted();
      assertThat(socket.state()).isEqualTo(SocketState.CLOSED);
      assertThat(closes).extracting(CloseEvent::requested).containsExactly(true);
    }

    @Test
    void tearsTheOldConnectionDownWhenAConnectFollowsAtOnce() {
      FakeTransport deaf = new FakeTransport().withoutCloseConfirmation();
      PhoenixSocket socket = watch(PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop)
          .transport(deaf).build());
      List<String> events = new ArrayList<>();
      socket.onOpen(() -> events.add("open"));
      socket.onClose(close -> events.add("close"));
      socket.connect();
      deaf.last().open();
      socket.disconnect();
      socket.connect();
      assertThat(deaf.count()).isEqualTo(2);
      deaf.last().open();
      assertThat(events).containsExactly("open", "close", "open");
      advanceMillis(1_000);
      assertThat(deaf.connections().get(0).isAborted()).as("the old transport is not left half-closed").isTrue();
      assertThat(socket.isConnected()).isTrue();
      assertThat(events).containsExactly("open", "close", "open");
    }

    @Test
    void stopsHeartbeatsAndReconnects() {
      PhoenixSocket socket = connected();
      socket.disconnect();
      advanceMillis(120_000);
      assertThat(transport.count()).isEqualTo(1);
      assertThat(transport.last().sentWithEvent("heartbeat")).isEmpty();
      assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void refusesCloseCodesAClientMayNotSend() {
      PhoenixSocket socket = connected();
      assertThatThrownBy(() -> socket.disconnect(1006, "")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1000 or a code from 3000 to 4999");
    }
  }

  @Nested
  class ConnectionState {
    @Test
    void movesThroughConnectingOpenClosingClosed() {
      FakeTransport deaf = new FakeTransport().withoutCloseConfirmation();
      PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop).transport(deaf)
          .build();
      assertThat(socket.state()).isEqualTo(SocketState.CLOSED);
      assertThat(socket.isConnected()).isFalse();
      socket.connect();
      assertThat(socket.state()).isEqualTo(SocketState.CONNECTING);
      deaf.last().open();
      assertThat(socket.state()).isEqualTo(SocketState.OPEN);
      assertThat(socket.isConnected()).isTrue();
      socket.disconnect();
      assertThat(socket.state()).isEqualTo(SocketState.CLOSING);
      deaf.last().serverClose(1000, "");
      assertThat(socket.state()).isEqualTo(SocketState.CLOSED);
    }
  }

  @Nested
  class Channels {
    @Test
    void createsAndRegistersAChannel() {
      PhoenixSocket socket = socket();
      PhoenixChannel channel = socket.channel("room:1", Map.of("a", 1));
      assertThat(channel.topic()).isEqualTo("room:1");
      assertThat(channel.socket()).isSameAs(socket);
      assertThat(socket.channels()).containsExactly(channel);
    }

    @Test
    void unregistersAChannelWhenItCloses() {
      PhoenixSocket socket = connected();
      PhoenixChannel first = socket.channel("room:1");
      PhoenixChannel second = socket.channel("room:2");
      first.join();
      transport.last().receive(ok("1", "1", "room:1"));
      Push leave = first.leave();
      transport.last().receive(ok("1", "2", "room:1"));
      assertThat(socket.channels()).containsExactly(second);
      assertThat(leave.toFuture()).isCompleted();
    }
  }

  @Nested
  class PushAndSendBuffer {
    @Test
    void sendsAtOnceWhenConnected() {
      PhoenixSocket socket = connected();
      socket.channel("room:1").join();
      assertThat(transport.last().sentWithEvent("phx_join")).hasSize(1);
    }

    @Test
    void buffersWhileDisconnectedAndFlushesOnOpen() {
      PhoenixSocket socket = socket();
      socket.channel("room:1").join();
      socket.channel("room:2").join();
      socket.connect();
      assertThat(transport.last().sentFrames()).isEmpty();
      transport.last().open();
      assertThat(transport.last().sentJson()).extracting(frame -> frame.get(2).asText())
          .containsExactly("room:1", "room:2");
    }

    @Test
    void failsAPushAtOnceWhenTheBufferIsFullAsFailedNotAsAServersError() {
      PhoenixSocket socket = watch(builder().sendBufferLimit(1).build());
      socket.channel("room:1").join();
      Push refused = socket.channel("room:2").join();
      List<Reply> replies = new ArrayList<>();
      List<Reply> serverErrors = new ArrayList<>();
      refused.receive("error", serverErrors::add).receive("failed", replies::add);
      assertThat(serverErrors).isEmpty();
      assertThat(replies).hasSize(1);
      assertThat(replies.get(0).status()).isEqualTo(Reply.FAILED);
      assertThat(replies.get(0).failure()).hasValueSatisfying(failure ->
          assertThat(failure).hasMessageContaining("send buffer is full (1 messages"));
      assertThat(replies.get(0).response().get("reason").asText()).contains("send buffer is full");
    }
  }

  @Nested
  class Refs {
    @Test
    void areIncreasingStrings() {
      PhoenixSocket socket = connected();
      PhoenixChannel channel = socket.channel("room:1");
      channel.join();
      transport.last().receive(ok("1", "1", "room:1"));
      channel.push("a", Map.of());
      channel.push("b", Map.of());
      assertThat(transport.last().sentJson()).extracting(frame -> frame.get(1).asText())
          .containsExactly("1", "2", "3");
    }

    @Test
    void restartAfterOverflow() {
      assertThat(SocketConnections.nextRef(0)).isEqualTo(1);
      assertThat(SocketConnections.nextRef(41)).isEqualTo(42);
      assertThat(SocketConnections.nextRef(Long.MAX_VALUE)).isEqualTo(1);
    }
  }

  @Nested
  class Heartbeat {
    @Test
    void isSentAsPhoenixJsSendsItWhenConnected() {
      connected();
      advanceMillis(30_000);
      JsonNode heartbeat = transport.last().lastSent();
      assertThat(heartbeat).isEqualTo(ServerFrames.json("[null,\"1\",\"phoenix\",\"heartbeat\",{}]"));
    }

    @Test
    void isNotSentWhenDisconnected() {
      PhoenixSocket socket = socket();
      socket.connect();
      advanceMillis(60_000);
      assertThat(transport.last().sentFrames()).isEmpty();
    }

    @Test
    void followsTheReplyByTheInterval() {
      connected();
      advanceMillis(30_000);
      transport.last().receive(heartbeatReply("1"));
      advanceMillis(29_999);
      assertThat(transport.last().sentWithEvent("heartbeat")).hasSize(1);
      advanceMillis(1);
      assertThat(transport.last().sentWithEvent("heartbeat")).hasSize(2);
    }

    @Test
    void withoutReplyAbortsErrorsChannelsAndReconnects() {
      PhoenixSocket socket = watch(builder().heartbeatInterval(Duration.ofSeconds(5))
          .heartbeatTimeout(Duration.ofSeconds(2)).build());
      socket.connect();
      transport.last().open();
      PhoenixChannel channel = socket.channel("room:1");
      List<ChannelError> channelErrors = new ArrayList<>();
      channel.onError(channelErrors::add);
      channel.join();
      transport.last().receive(ok("1", "1", "room:1"));
      advanceMillis(5_000);
      assertThat(transport.last().sentWithEvent("heartbeat")).hasSize(1);
      advanceMillis(1_999);
      assertThat(socket.isConnected()).isTrue();
      advanceMillis(1);
      FakeTransport.Connection dead = transport.connections().get(0);
      assertThat(dead.isAborted()).as("no close handshake on a dead link").isTrue();
      assertThat(dead.isClosed()).isFalse();
      assertThat(channel.state()).isEqualTo(ChannelState.ERRORED);
      assertThat(channelErrors).extracting(ChannelError::reason).containsExactly("heartbeat_timeout");
      assertThat(closes).hasSize(1);
      assertThat(closes.get(0).code()).isEqualTo(CloseEvent.ABNORMAL);
      assertThat(closes.get(0).reason()).isEqualTo("heartbeat timeout");
      assertThat(closes.get(0).requested()).isFalse();
      assertThat(closes.get(0).cause()).hasMessageContaining("heartbeat timeout");
      advanceMillis(10);
      assertThat(transport.count()).isEqualTo(2);
    }

    @Test
    void isNotSentAndNeverTimesOutAfterAnExplicitDisconnect() {
      PhoenixSocket socket = connected();
      advanceMillis(30_000);
      socket.disconnect();
      advanceMillis(120_000);
      assertThat(transport.count()).isEqualTo(1);
      assertThat(transport.last().sentWithEvent("heartbeat")).hasSize(1);
      assertThat(closes).extracting(CloseEvent::requested).containsExactly(true);
    }

    @Test
    void isNotSentOverTransportsThatNeedNone() {
      PhoenixSocket socket = socket();
      socket.connect();
      transport.last().withoutHeartbeats().open();
      advanceMillis(120_000);
      assertThat(transport.last().sentFrames()).isEmpty();
      assertThat(socket.isConnected()).isTrue();
    }
  }

  @Nested
  class OnOpen {
    @Test
    void flushesResetsTheReconnectBackoffAndFiresListeners() {
      PhoenixSocket socket = socket();
      List<String> opened = new ArrayList<>();
      socket.onOpen(() -> opened.add("open"));
      socket.connect();
      for (int i = 0; i < 5; i++) {
        transport.last().fail(new RuntimeException("down"));
        advanceMillis(5_000);
      }
      transport.last().open();
      assertThat(opened).containsExactly("open");
      long before = loop.elapsed().toMillis();
      int count = transport.count();
      transport.last().serverClose(1011, "");
      while (transport.count() == count) {
        advanceMillis(1);
      }
      assertThat(loop.elapsed().toMillis() - before).as("backoff starts over after an open").isEqualTo(10);
    }
  }

  @Nested
  class OnClose {
    @Test
    void firesListenersAndErrorsJoiningAndJoinedChannelsButNotLeftOnes() {
      PhoenixSocket socket = connected();
      PhoenixChannel joined = socket.channel("room:joined");
      PhoenixChannel joining = socket.channel("room:joining");
      PhoenixChannel left = socket.channel("room:left");
      joined.join();
      transport.last().receive(ok("1", "1", "room:joined"));
      joining.join();
      left.join();
      transport.last().receive(ok("3", "3", "room:left"));
      left.leave();
      transport.last().receive(ok("3", "4", "room:left"));
      transport.last().serverClose(1011, "crash");
      assertThat(closes).containsExactly(new CloseEvent(1011, "crash", false, null));
      assertThat(joined.state()).isEqualTo(ChannelState.ERRORED);
      assertThat(joining.state()).isEqualTo(ChannelState.ERRORED);
      assertThat(left.state()).isEqualTo(ChannelState.CLOSED);
    }

    @Test
    void reconnectsAfterAnAbnormalClose() {
      connected();
      transport.last().serverClose(1006, "");
      advanceMillis(10);
      assertThat(transport.count()).isEqualTo(2);
    }

    @Test
    void reconnectsAfterANormalCloseTheUserDidNotAskFor() {
      connected();
      transport.last().serverClose(1000, "");
      advanceMillis(10);
      assertThat(transport.count()).as("phoenix.js 1.7 would stay down here").isEqualTo(2);
      assertThat(closes.get(0).requested()).isFalse();
    }

    @Test
    void doesNotReconnectAfterAnExplicitDisconnect() {
      PhoenixSocket socket = connected();
      socket.disconnect();
      advanceMillis(60_000);
      assertThat(transport.count()).isEqualTo(1);
    }

    @Test
    void reconnectsWhenAConnectionCannotBeMadeAfterAnEarlierCleanDisconnect() {
      PhoenixSocket socket = connected();
      socket.disconnect();
      socket.connect();
      transport.last().fail(new RuntimeException("refused"));
      advanceMillis(10);
      assertThat(transport.count()).isEqualTo(3);
    }

    @Test
    void honoursAPolicyThatStopsAfterMaxAttemptsAndSaysSo() {
      PhoenixSocket socket = watch(builder().reconnectPolicy(ReconnectPolicy.builder()
          .delays(Duration.ofMillis(100)).maxAttempts(2).build()).build());
      socket.connect();
      transport.last().fail(new RuntimeException("refused"));
      advanceMillis(100);
      transport.last().fail(new RuntimeException("refused"));
      advanceMillis(100);
      transport.last().fail(new RuntimeException("refused"));
      advanceMillis(60_000);
      assertThat(transport.count()).isEqualTo(3);
      assertThat(errors).last().isInstanceOf(ConnectionException.class)
          .extracting(Throwable::getMessage).asString().contains("reconnect policy gave up after 2 attempts");
    }

    @Test
    void honoursAPolicyThatDecidesPerHttpStatus() {
      PhoenixSocket socket = watch(builder().reconnectPolicy(ReconnectPolicy.builder()
          .reconnectIf(close -> close.httpStatus().orElse(0) != 403).build()).build());
      socket.connect();
      transport.last().fail(new ConnectionException("upgrade refused with HTTP 403", 403, null));
      advanceMillis(60_000);
      assertThat(transport.count()).isEqualTo(1);
      assertThat(closes.get(0).httpStatus()).hasValue(403);
    }
  }

  @Nested
  class OnError {
    @Test
    void firesErrorListenersAndErrorsJoiningAndJoinedChannels() {
      PhoenixSocket socket = connected();
      PhoenixChannel joined = socket.channel("room:1");
      joined.join();
      transport.last().receive(ok("1", "1", "room:1"));
      List<ChannelError> channelErrors = new ArrayList<>();
      joined.onError(channelErrors::add);
      transport.last().fail(new java.io.IOException("reset by peer"));
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0)).isInstanceOf(ConnectionException.class).hasMessageContaining("reset by peer");
      assertThat(channelErrors).extracting(ChannelError::reason).containsExactly("connection_error");
      assertThat(channelErrors.get(0).fromServer()).isFalse();
      assertThat(channelErrors.get(0).payload().get("source").asText()).isEqualTo("transport");
    }

    @Test
    void errorsAJoiningChannelEvenBeforeTheConnectionOpened() {
      PhoenixSocket socket = socket();
      PhoenixChannel channel = socket.channel("room:1");
      channel.join();
      socket.connect();
      transport.last().fail(new RuntimeException("refused"));
      assertThat(channel.state()).isEqualTo(ChannelState.ERRORED);
    }
  }

  @Nested
  class InboundMessages {
    @Test
    void areDecodedRoutedToTheirChannelAndGivenToMessageListeners() {
      PhoenixSocket socket = connected();
      List<Message> socketMessages = new ArrayList<>();
      socket.onMessage(socketMessages::add);
      PhoenixChannel channel = socket.channel("room:1");
      PhoenixChannel other = socket.channel("room:2");
      List<Message> received = new ArrayList<>();
      List<Message> otherReceived = new ArrayList<>();
      channel.on("news", received::add);
      other.on("news", otherReceived::add);
      channel.join();
      transport.last().receive(ok("1", "1", "room:1"));
      transport.last().receive(broadcast("room:1", "news", "{\"n\":1}"));
      assertThat(received).hasSize(1);
      assertThat(received.get(0).payload().get("n").asInt()).isEqualTo(1);
      assertThat(otherReceived).isEmpty();
      assertThat(socketMessages).extracting(Message::event).containsExactly("phx_reply", "news");
    }

    @Test
    void malformedFramesAreReportedAndDroppedAndTheSocketKeepsWorking() {
      PhoenixSocket socket = connected();
      PhoenixChannel channel = socket.channel("room:1");
      channel.join();
      transport.last().receive("{not json");
      transport.last().receive("[\"1\",\"1\",\"room:1\",\"phx_reply\"]");
      transport.last().receiveBinary(new byte[] {9, 9});
      transport.last().receive(ServerFrames.frame("1", "1", "room:1", "phx_reply",
          ServerFrames.json("{\"no\":\"status\"}")));
      assertThat(errors).hasSize(4).allSatisfy(error -> assertThat(error).isInstanceOf(ProtocolException.class));
      assertThat(socket.isConnected()).isTrue();
      transport.last().receive(ok("1", "1", "room:1"));
      assertThat(channel.state()).isEqualTo(ChannelState.JOINED);
      Push push = channel.push("echo", Map.of("a", 1));
      transport.last().receive(ServerFrames.reply("1", "2", "room:1", "ok", "{\"a\":1}"));
      assertThat(push.toFuture()).isCompletedWithValueMatching(Reply::isOk);
    }
  }

  @Nested
  class Ping {
    @Test
    void sendsAHeartbeatAndReportsTheRoundTrip() throws Exception {
      PhoenixSocket socket = connected();
      CompletableFuture<Duration> rtt = socket.ping();
      JsonNode sent = transport.last().lastSent();
      assertThat(sent.get(3).asText()).isEqualTo("heartbeat");
      advanceMillis(42);
      transport.last().receive(heartbeatReply(sent.get(1).asText()));
      assertThat(rtt).isCompletedWithValue(Duration.ofMillis(42));
    }

    @Test
    void refusesWhenDisconnected() {
      CompletableFuture<Duration> rtt = socket().ping();
      assertThat(rtt).isCompletedExceptionally();
      assertThatThrownBy(rtt::get).isInstanceOf(ExecutionException.class).hasMessageContaining("not connected");
    }

    @Test
    void failsWhenTheConnectionCloses() {
      PhoenixSocket socket = connected();
      CompletableFuture<Duration> rtt = socket.ping();
      transport.last().serverClose(1011, "");
      assertThat(rtt).isCompletedExceptionally();
    }
  }

  @Nested
  class Close {
    @Test
    void leavesChannelsFailsWaitingPushesDisconnectsAndRefusesReuse() {
      PhoenixSocket socket = connected();
      PhoenixChannel channel = socket.channel("room:1");
      List<ChannelClose> channelCloses = new ArrayList<>();
      channel.onClose(channelCloses::add);
      channel.join();
      transport.last().receive(ok("1", "1", "room:1"));
      Push waiting = channel.push("slow", Map.of());
      socket.close();
      assertThat(transport.last().sentWithEvent("phx_leave")).hasSize(1);
      assertThat(transport.last().isClosed()).isTrue();
      assertThat(channel.state()).isEqualTo(ChannelState.CLOSED);
      assertThat(channelCloses).containsExactly(new ChannelClose(true, "socket closed"));
      assertThat(waiting.toFuture()).isCompletedWithValueMatching(reply -> reply.failure().isPresent());
      assertThat(socket.channels()).isEmpty();
      assertThat(loop.pendingTimers()).as("nothing left running").isZero();
      assertThatThrownBy(socket::connect).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
      assertThatThrownBy(() -> socket.channel("x")).isInstanceOf(IllegalStateException.class);
      socket.close();
    }
  }

  @Nested
  class BadInput {
    @Test
    void buildRefusesABadUrl() {
      assertThatThrownBy(() -> PhoenixSocket.builder("localhost:4000").build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws://");
      assertThatThrownBy(() -> PhoenixSocket.builder("mailto:a@b").build())
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildRefusesAnUnsupportedVsnAndNonPositiveSettings() {
      assertThatThrownBy(() -> builder().vsn("9").build()).hasMessageContaining("unsupported vsn '9'");
      assertThatThrownBy(() -> builder().timeout(Duration.ZERO).build()).hasMessageContaining("timeout");
      assertThatThrownBy(() -> builder().sendBufferLimit(0).build()).hasMessageContaining("sendBufferLimit");
    }

    @Test
    void theDefaultTransportRefusesATokenItCannotSendAndTheErrorListenersHearWhy() throws Exception {
      // "???" is "Pz8/" in standard Base64: the '/' is illegal in Sec-WebSocket-Protocol. The rule is the JDK
      // transport's, so the socket builds, and each connection attempt fails saying why.
      CompletableFuture<PhoenixException> error = new CompletableFuture<>();
      try (PhoenixSocket socket = PhoenixSocket.builder("ws://127.0.0.1:9/socket").authToken("???").build()) {
        socket.onError(error::complete);
        socket.connect();
        assertThat(error.get(10, TimeUnit.SECONDS))
            .isInstanceOf(ConnectionException.class)
            .hasMessageContaining("contains '/'")
            .hasMessageContaining("OkHttp")
            .hasMessageContaining("long-poll");
      }
    }
  }
}
