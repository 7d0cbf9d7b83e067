package io.phoenixchannels.it;

import static io.phoenixchannels.it.ClientKit.WAIT;
import static io.phoenixchannels.it.ClientKit.connectionWith;
import static io.phoenixchannels.it.ClientKit.reply;
import static io.phoenixchannels.it.ClientKit.socket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.ChannelClose;
import io.phoenixchannels.ChannelState;
import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Push;
import io.phoenixchannels.Reply;
import io.phoenixchannels.testserver.ClientConnection;
import io.phoenixchannels.testserver.ConnectionClose;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.RecordedFrame;
import io.phoenixchannels.transport.LongPollTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where DESIGN.md makes this client do better than phoenix.js, shown against a real server: reconnect after the
 * server's clean closes, dropping messages of an old join, bounded buffers that fail at once, and a heartbeat
 * timeout that aborts the dead connection. Each over the JDK, OkHttp and Netty WebSockets and long-poll ({@link
 * ClientTransport}), but the heartbeat's, which long-poll does not have.
 */
@ExtendWith(ClientTransport.NettyThreads.class)
class ClientImprovementsTest {
  private static final Map<String, Object> NO_PRESENCE = Map.of("presence", false);

  static Stream<Arguments> cleanCodesAndTransports() {
    return Stream.of(1000, 1001).flatMap(code -> Stream.of(ClientTransport.values())
        .map(transport -> Arguments.of(code, transport)));
  }

  @ParameterizedTest
  @MethodSource("cleanCodesAndTransports")
  void reconnectsAfterTheServerClosesCleanly(int code, ClientTransport transport) throws Exception {
    try (PhoenixTestServer server = ClientKit.server(PhoenixVersion.PHOENIX_1_8);
        PhoenixSocket socket = socket(server, Map.of("user_id", "clean"), transport).build()) {
      ClientKit.Events<CloseEvent> closes = new ClientKit.Events<>();
      socket.onClose(closes::add);
      socket.connect();
      PhoenixChannel room = socket.channel("room:clean", NO_PRESENCE);
      reply(room.join());
      ClientConnection first = server.takeConnection(WAIT);
      first.close(code, "");
      CloseEvent close = closes.take();
      // Long-poll carries no close code: the next poll finds the session gone.
      assertThat(close.code()).isEqualTo(transport.isWebSocket() ? code : LongPollTransport.SESSION_GONE);
      assertThat(close.requested()).isFalse();
      // Over long-poll the poll that found the session gone opened a session of its own, which the client left
      // unused (as Phoenix does and phoenix.js leaves it): the next connection that joins is the reconnect.
      ClientConnection second = await().atMost(WAIT).until(() -> server.connections().stream()
          .filter(connection -> connection != first && !connection.joinedTopics().isEmpty()).findFirst(),
          java.util.Optional::isPresent).orElseThrow();
      second.takeInbound("phx_join", WAIT);
      await().atMost(WAIT).until(() -> room.state() == ChannelState.JOINED);
      assertThat(reply(room.push("echo", Map.of())).isOk()).isTrue();
    }
  }

  /**
   * The first join's reply is late and the client's leave of it is lost, so the client's rejoin is a duplicate join
   * on the server: Phoenix answers the new join, then sends {@code phx_close} with the old join_ref, and later the
   * late reply of the old join arrives. Both belong to the old join and must not touch the joined channel.
   */
  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void dropsTheOldJoinsCloseAndLateReplyAfterADuplicateJoin(ClientTransport transport) throws Exception {
    try (PhoenixTestServer server = ClientKit.server(PhoenixVersion.PHOENIX_1_8);
        PhoenixSocket socket = socket(server, Map.of("user_id", "dup"), transport).build()) {
      AtomicInteger joins = new AtomicInteger();
      server.faults()
          .delayReplies(Duration.ofMillis(600), message -> message.event().equals("phx_join")
              && joins.incrementAndGet() == 1)
          .dropInbound(message -> message.event().equals("phx_leave"));
      socket.connect();
      PhoenixChannel room = socket.channel("room:dup", NO_PRESENCE);
      ClientKit.Events<ChannelClose> closes = new ClientKit.Events<>();
      room.onClose(closes::add);
      room.join(Duration.ofMillis(200));

      ClientConnection connection = server.takeConnection(WAIT);
      String oldJoinRef = connection.takeInbound("phx_join", WAIT).message().joinRef();
      connection.takeInbound("phx_leave", WAIT);
      String newJoinRef = connection.takeInbound("phx_join", WAIT).message().joinRef();
      assertThat(newJoinRef).isNotEqualTo(oldJoinRef);
      RecordedFrame newOk = connection.takeOutbound("phx_reply", WAIT);
      assertThat(newOk.message().joinRef()).isEqualTo(newJoinRef);
      RecordedFrame oldClose = connection.takeOutbound("phx_close", WAIT);
      assertThat(oldClose.message().joinRef()).isEqualTo(oldJoinRef);
      // The echo's reply follows phx_close on the wire: once it is here, the client has seen the close too.
      assertThat(reply(room.push("echo", Map.of("after", "close"))).isOk()).isTrue();
      assertThat(room.state()).isEqualTo(ChannelState.JOINED);

      RecordedFrame lateReply = connection.takeOutbound("phx_reply", Duration.ofSeconds(2));
      while (!oldJoinRef.equals(lateReply.message().joinRef())) {
        lateReply = connection.takeOutbound("phx_reply", Duration.ofSeconds(2));
      }
      assertThat(reply(room.push("echo", Map.of("after", "late reply"))).isOk()).isTrue();
      assertThat(room.state()).isEqualTo(ChannelState.JOINED);
      assertThat(closes.queue).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aFullSendBufferFailsTheJoinAtOnce(ClientTransport transport) throws Exception {
    try (PhoenixTestServer server = ClientKit.server(PhoenixVersion.PHOENIX_1_8);
        PhoenixSocket socket = socket(server, Map.of(), transport).sendBufferLimit(2).build()) {
      Push first = socket.channel("room:a", NO_PRESENCE).join();
      Push second = socket.channel("room:b", NO_PRESENCE).join();
      Push third = socket.channel("room:c", NO_PRESENCE).join();
      Reply refused = reply(third);
      assertThat(refused.status()).isEqualTo(Reply.FAILED);
      assertThat(refused.failure()).isPresent();
      assertThat(refused.failure().get().getMessage()).contains("send buffer is full");

      socket.connect();
      assertThat(reply(first).isOk()).isTrue();
      assertThat(reply(second).isOk()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aFullPushBufferFailsThePushAtOnceAndTheBufferedOnesGoWithTheNewJoinRef(ClientTransport transport) throws Exception {
    try (PhoenixTestServer server = ClientKit.server(PhoenixVersion.PHOENIX_1_8);
        PhoenixSocket socket = socket(server, Map.of(), transport).pushBufferLimit(2).build()) {
      server.faults().delayReplies(Duration.ofMillis(300), message -> message.event().equals("phx_join"));
      socket.connect();
      PhoenixChannel room = socket.channel("room:buffer", NO_PRESENCE);
      room.join();
      Push one = room.push("echo", Map.of("n", 1));
      Push two = room.push("echo", Map.of("n", 2));
      Reply three = reply(room.push("echo", Map.of("n", 3)));
      assertThat(three.status()).isEqualTo(Reply.FAILED);
      assertThat(three.failure().orElseThrow().getMessage()).contains("push buffer");
      assertThat(reply(one).response().get("n").asInt()).isEqualTo(1);
      assertThat(reply(two).response().get("n").asInt()).isEqualTo(2);

      ClientConnection connection = server.takeConnection(WAIT);
      String joinRef = connection.takeInbound("phx_join", WAIT).message().joinRef();
      List<RecordedFrame> echoes = List.of(connection.takeInbound("echo", WAIT), connection.takeInbound("echo",
          WAIT));
      assertThat(echoes).allSatisfy(echo -> assertThat(echo.message().joinRef()).isEqualTo(joinRef));
      connection.assertNoMoreInbound(Duration.ofMillis(100));
    }
  }

  /** Heartbeats are the WebSocket's: long-poll has none, every poll proves the link. */
  @ParameterizedTest
  @EnumSource(value = ClientTransport.class, names = {"JDK_WEBSOCKET", "OKHTTP_WEBSOCKET", "NETTY_WEBSOCKET"})
  void aMissedHeartbeatAbortsTheConnectionWithinIntervalPlusTimeoutAndReconnects(ClientTransport transport) throws Exception {
    Duration interval = Duration.ofMillis(150);
    Duration timeout = Duration.ofMillis(150);
    try (PhoenixTestServer server = ClientKit.server(PhoenixVersion.PHOENIX_1_8);
        PhoenixSocket socket = socket(server, Map.of("user_id", "hb"), transport).heartbeatInterval(interval)
            .heartbeatTimeout(timeout).build()) {
      ClientKit.Events<CloseEvent> closes = new ClientKit.Events<>();
      socket.onClose(closes::add);
      socket.connect();
      PhoenixChannel room = socket.channel("room:hb", NO_PRESENCE);
      reply(room.join());
      ClientConnection first = connectionWith(server, "user_id", "hb");

      long ignoredAt = System.nanoTime();
      server.faults().ignoreHeartbeats(true);
      CloseEvent close = closes.take();
      Duration detectedAfter = Duration.ofNanos(System.nanoTime() - ignoredAt);
      server.faults().ignoreHeartbeats(false);

      assertThat(close.code()).isEqualTo(CloseEvent.ABNORMAL);
      assertThat(close.cause().getMessage()).contains("heartbeat timeout");
      // At most one interval until the next heartbeat, then the timeout; the rest is room for a loaded machine
      // (seven builds on two cores delayed callbacks by seconds). So wide, it only shows that the heartbeat found
      // the silence; the exact moment is tested on the manual clock (SocketTest.Heartbeat).
      assertThat(detectedAfter).isLessThan(interval.plus(timeout).plus(Duration.ofSeconds(4)));
      // Aborted, not closed: the server saw the TCP connection end without a close frame.
      ConnectionClose seen = first.awaitClose(WAIT);
      assertThat(seen.code()).isEqualTo(1006);
      assertThat(seen.byServer()).isFalse();

      await().atMost(WAIT).until(() -> connectionWith(server, "user_id", "hb") != first
          && room.state() == ChannelState.JOINED);
      assertThat(reply(room.push("echo", Map.of())).isOk()).isTrue();
    }
  }
}
