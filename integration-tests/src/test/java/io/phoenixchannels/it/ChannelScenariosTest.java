package io.phoenixchannels.it;

import static io.phoenixchannels.it.ClientKit.WAIT;
import static io.phoenixchannels.it.ClientKit.failure;
import static io.phoenixchannels.it.ClientKit.inbox;
import static io.phoenixchannels.it.ClientKit.reply;
import static io.phoenixchannels.it.ClientKit.socket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.ChannelClose;
import io.phoenixchannels.ChannelError;
import io.phoenixchannels.ChannelState;
import io.phoenixchannels.Message;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.PushTimeoutException;
import io.phoenixchannels.RejoinPolicy;
import io.phoenixchannels.Reply;
import io.phoenixchannels.testserver.ClientConnection;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.RecordedFrame;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our client against the reference app over real sockets: joins, replies, pushes, broadcasts, stops, crashes —
 * each over the JDK WebSocket, the OkHttp WebSocket and long-poll ({@link ClientTransport}).
 */
class ChannelScenariosTest {
  private static final Map<String, Object> NO_PRESENCE = Map.of("presence", false);

  private PhoenixTestServer server;
  private PhoenixSocket socket;
  private ClientTransport transport;

  /** A Phoenix 1.8 reference app and a connected socket over the transport. */
  private void start(ClientTransport over) {
    transport = over;
    server = ClientKit.server(PhoenixVersion.PHOENIX_1_8);
    socket = socket(server, Map.of("user_id", "ada"), transport).build();
    socket.connect();
  }

  @AfterEach
  void stop() {
    if (socket != null) {
      socket.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private PhoenixChannel joined(String topic) throws InterruptedException {
    PhoenixChannel channel = socket.channel(topic, NO_PRESENCE);
    assertThat(reply(channel.join()).status()).isEqualTo("ok");
    return channel;
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void joinsWithTheParamsAndGetsTheServersReply(ClientTransport over) throws Exception {
    start(over);
    PhoenixChannel room = socket.channel("room:lobby", Map.of("name", "Ada", "presence", false));
    Reply joined = reply(room.join());
    assertThat(joined.response().get("joined").asText()).isEqualTo("room:lobby");
    assertThat(joined.response().get("params").get("name").asText()).isEqualTo("Ada");
    assertThat(room.state()).isEqualTo(ChannelState.JOINED);
    RecordedFrame join = server.takeConnection(WAIT).takeInbound("phx_join", WAIT);
    assertThat(join.message().joinRef()).isEqualTo(join.message().ref());
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aRefusedJoinReportsTheReasonAndAPolicyCanStopTheRetries(ClientTransport over) throws Exception {
    start(over);
    PhoenixSocket strict = socket(server, Map.of(), transport).rejoinPolicy(RejoinPolicy.builder()
        .retryJoinErrorIf(reply -> false).build()).build();
    try (strict) {
      strict.connect();
      PhoenixChannel secret = strict.channel("room:private");
      ClientKit.Events<ChannelClose> closes = new ClientKit.Events<>();
      secret.onClose(closes::add);
      Reply refused = reply(secret.join());
      assertThat(refused.status()).isEqualTo("error");
      assertThat(refused.response().get("reason").asText()).isEqualTo("unauthorized");
      assertThat(closes.take().requested()).isFalse();
      assertThat(secret.state()).isEqualTo(ChannelState.CLOSED);
    }
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aRefusedJoinIsRetriedOnTheRejoinBackoffByDefault(ClientTransport over) throws Exception {
    start(over);
    PhoenixChannel secret = socket.channel("room:private");
    secret.join();
    ClientConnection connection = server.takeConnection(WAIT);
    String first = connection.takeInbound("phx_join", WAIT).message().joinRef();
    String second = connection.takeInbound("phx_join", WAIT).message().joinRef();
    assertThat(second).isNotEqualTo(first);
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aJoinThatCrashesIsAnErrorAndTheSocketStaysUsable(ClientTransport over) throws Exception {
    start(over);
    Reply crashed = reply(socket.channel("room:crash_on_join").join());
    assertThat(crashed.response().get("reason").asText()).isEqualTo("join crashed");
    assertThat(reply(joined("room:after").push("echo", Map.of("ok", true))).response().get("ok").asBoolean())
        .isTrue();
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void repliesOkAndErrorAndTimesOutWithoutAReply(ClientTransport over) throws Exception {
    start(over);
    PhoenixChannel room = joined("room:r");
    Reply echo = reply(room.push("echo", Map.of("hello", "world", "n", 1)));
    assertThat(echo.isOk()).isTrue();
    assertThat(echo.response().get("hello").asText()).isEqualTo("world");
    Reply error = reply(room.push("error_reply", Map.of()));
    assertThat(error.status()).isEqualTo("error");
    assertThat(error.response().get("reason").asText()).isEqualTo("bad");
    Reply unknown = reply(room.push("no_such_event", Map.of("x", 1)));
    assertThat(unknown.response().get("reason").asText()).isEqualTo("unknown event");
    assertThat(failure(room.push("noreply", Map.of(), Duration.ofMillis(200))))
        .isInstanceOf(PushTimeoutException.class);
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aSlowReplyWithinTheTimeoutArrivesAndOneAfterItIsIgnored(ClientTransport over) throws Exception {
    start(over);
    PhoenixChannel room = joined("room:slow");
    assertThat(failure(room.push("slow", Map.of("ms", 400), Duration.ofMillis(100))))
        .isInstanceOf(PushTimeoutException.class);
    assertThat(reply(room.push("slow", Map.of("ms", 50), Duration.ofSeconds(2))).response().get("ms").asInt())
        .isEqualTo(50);
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void receivesServerPushesBeforeTheReply(ClientTransport over) throws Exception {
    start(over);
    PhoenixChannel room = joined("room:push");
    ClientKit.Inbox items = inbox(room, "item");
    assertThat(reply(room.push("push_many", Map.of("n", 3))).response().get("n").asInt()).isEqualTo(3);
    for (int i = 1; i <= 3; i++) {
      assertThat(items.take().payload().get("i").asInt()).isEqualTo(i);
    }
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void broadcastsReachEveryMemberAndBroadcastFromAllButTheSender(ClientTransport over) throws Exception {
    start(over);
    try (PhoenixSocket other = socket(server, Map.of("user_id", "bob"), transport).build()) {
      other.connect();
      PhoenixChannel mine = joined("room:bcast");
      PhoenixChannel theirs = other.channel("room:bcast", NO_PRESENCE);
      reply(theirs.join());
      ClientKit.Inbox mineGot = inbox(mine, "broadcasted");
      ClientKit.Inbox theirsGot = inbox(theirs, "broadcasted");

      reply(mine.push("broadcast", Map.of("msg", "to everyone")));
      assertThat(mineGot.take().payload().get("msg").asText()).isEqualTo("to everyone");
      Message received = theirsGot.take();
      assertThat(received.joinRef()).isNull();
      assertThat(received.payload().get("msg").asText()).isEqualTo("to everyone");

      reply(mine.push("broadcast_from", Map.of("msg", "not me")));
      assertThat(theirsGot.take().payload().get("msg").asText()).isEqualTo("not me");
      server.broadcast("room:bcast", "broadcasted", Map.of("msg", "from the server"));
      assertThat(mineGot.take().payload().get("msg").asText()).isEqualTo("from the server");
      assertThat(mineGot.isEmpty()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aChannelTheServerStopsClosesWithoutRejoiningAndItsPendingPushTimesOut(ClientTransport over) throws Exception {
    start(over);
    PhoenixChannel room = joined("room:stop");
    ClientKit.Events<ChannelClose> closes = new ClientKit.Events<>();
    room.onClose(closes::add);
    var stop = room.push("stop", Map.of(), Duration.ofMillis(300));
    assertThat(closes.take().requested()).isFalse();
    assertThat(room.state()).isEqualTo(ChannelState.CLOSED);
    assertThat(failure(stop)).isNotNull();

    PhoenixChannel kicked = joined("room:kick");
    assertThat(reply(kicked.push("kick", Map.of())).response().get("kicked").asBoolean()).isTrue();
    await().atMost(WAIT).until(() -> kicked.state() == ChannelState.CLOSED);
  }

  @ParameterizedTest
  @MethodSource("io.phoenixchannels.it.ClientKit#versionsAndTransports")
  void aCrashErrorsTheChannelWhichRejoinsWithANewJoinRef(PhoenixVersion version, ClientTransport over)
      throws Exception {
    try (PhoenixTestServer versioned = ClientKit.server(version);
        PhoenixSocket client = socket(versioned, Map.of(), over).build()) {
      client.connect();
      PhoenixChannel room = client.channel("room:crashy", NO_PRESENCE);
      reply(room.join());
      ClientKit.Events<ChannelError> errors = new ClientKit.Events<>();
      room.onError(errors::add);
      ClientConnection connection = versioned.takeConnection(WAIT);
      String firstJoinRef = connection.takeInbound("phx_join", WAIT).message().joinRef();

      var crash = room.push("crash", Map.of(), Duration.ofMillis(500));
      ChannelError error = errors.take();
      assertThat(error.fromServer()).isTrue();
      // Phoenix 1.8 says why; 1.7 sends an empty phx_error.
      assertThat(error.reason()).isEqualTo(version == PhoenixVersion.PHOENIX_1_8 ? "channel_crash" : "phx_error");
      assertThat(connection.takeInbound("phx_join", WAIT).message().joinRef()).isNotEqualTo(firstJoinRef);
      await().atMost(WAIT).until(() -> room.state() == ChannelState.JOINED);
      assertThat(failure(crash)).isInstanceOf(PushTimeoutException.class);
      assertThat(reply(room.push("echo", Map.of("after", "rejoin"))).response().get("after").asText())
          .isEqualTo("rejoin");
    }
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aReplyTheServerDropsEndsInATimeoutAndADelayedOneStillArrives(ClientTransport over) throws Exception {
    start(over);
    PhoenixChannel room = joined("room:faults");
    server.faults().dropReplies(message -> message.event().equals("echo"));
    assertThat(failure(room.push("echo", Map.of(), Duration.ofMillis(200)))).isInstanceOf(
        PushTimeoutException.class);
    server.faults().reset().delayReplies(Duration.ofMillis(100));
    assertThat(reply(room.push("echo", Map.of("late", true), Duration.ofSeconds(2))).response().get("late")
        .asBoolean()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aPushToATopicTheServerDoesNotKnowGetsUnmatchedTopic(ClientTransport over) throws Exception {
    start(over);
    PhoenixChannel nowhere = socket.channel("nowhere:1");
    Reply reply = reply(nowhere.join());
    assertThat(reply.status()).isEqualTo("error");
    assertThat(reply.response().get("reason").asText()).isEqualTo("unmatched topic");
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void leavingGetsOkThenTheServerClosesTheChannel(ClientTransport over) throws Exception {
    start(over);
    PhoenixChannel room = joined("room:leave");
    ClientConnection connection = server.takeConnection(WAIT);
    assertThat(reply(room.leave()).isOk()).isTrue();
    assertThat(room.state()).isEqualTo(ChannelState.CLOSED);
    connection.takeOutbound("phx_close", WAIT);
    await().atMost(WAIT).until(() -> connection.joinedTopics().isEmpty());
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aJoinBeyondTheServersChannelLimitIsRefused(ClientTransport over) throws Exception {
    start(over);
    try (PhoenixTestServer limited = ClientKit.server(PhoenixTestServer.builder().maxChannelsPerSocket(1));
        PhoenixSocket client = socket(limited, Map.of(), transport).build()) {
      client.connect();
      assertThat(reply(client.channel("room:one", NO_PRESENCE).join()).isOk()).isTrue();
      Reply second = reply(client.channel("room:two", NO_PRESENCE).join());
      assertThat(second.response().get("reason").asText()).isEqualTo("max channels per socket");
    }
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void binaryPayloadsGoBothWays(ClientTransport over) throws Exception {
    start(over);
    PhoenixChannel room = joined("room:bin");
    if (!transport.isWebSocket()) {
      binaryPushesArriveButPhoenixCannotAnswerInBinaryOverLongPoll(room);
      return;
    }
    Reply echo = reply(room.push("binary_echo", new byte[] {0, 1, 2, (byte) 0xfe}));
    assertThat(echo.response().isBinary()).isTrue();
    assertThat(echo.response().binaryValue()).containsExactly(0, 1, 2, 0xfe);

    ClientKit.Inbox items = inbox(room, "binary_item");
    assertThat(reply(room.push("binary_push", Map.of("size", 4))).response().get("pushed").asInt()).isEqualTo(4);
    assertThat(items.take().payload().binaryValue()).containsExactly(0, 1, 2, 3);

    ClientKit.Inbox broadcasts = inbox(room, "binary_bcast");
    reply(room.push("binary_broadcast", Map.of("size", 2)));
    JsonNode bytes = broadcasts.take().payload();
    assertThat(bytes.binaryValue()).containsExactly(0xff, 0xfe);
  }

  /**
   * Long-poll carries only text from the server: the client's binary push arrives (as a base64 line, decoded by the
   * server into a binary frame), but the binary reply cannot travel back: Phoenix fails the poll that would carry it
   * with HTTP 500 (its JSON encoder refuses bytes that are not UTF-8), the client reconnects, and the push times out.
   */
  private void binaryPushesArriveButPhoenixCannotAnswerInBinaryOverLongPoll(PhoenixChannel room) throws Exception {
    ClientKit.Events<PhoenixException> errors = new ClientKit.Events<>();
    socket.onError(errors::add);
    assertThat(failure(room.push("binary_echo", new byte[] {0, 1, 2, (byte) 0xfe}, Duration.ofMillis(300))))
        .isInstanceOf(PushTimeoutException.class);
    assertThat(errors.take().getMessage()).contains("HTTP 500", "binary");
    await().atMost(WAIT).until(() -> room.state() == ChannelState.JOINED);
    RecordedFrame pushed = server.takeConnection(WAIT).takeInbound("binary_echo", WAIT);
    assertThat(pushed.isBinary()).isTrue();
    assertThat(pushed.payload().binaryValue()).containsExactly(0, 1, 2, 0xfe);
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void heartbeatsAreAnsweredAndPingMeasuresTheRoundTrip(ClientTransport over) throws Exception {
    start(over);
    // A short interval, and a timeout long enough that a busy machine's slow reply does not abort the connection
    // under the ping (the heartbeat timeout has its own test in ClientImprovementsTest).
    try (PhoenixSocket beating = socket(server, Map.of("who", "beating"), transport)
        .heartbeatInterval(Duration.ofMillis(100)).heartbeatTimeout(Duration.ofSeconds(2)).build()) {
      beating.connect();
      await().atMost(WAIT).until(beating::isConnected);
      Duration roundTrip = beating.ping().get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      assertThat(roundTrip).isPositive();
      ClientConnection connection = ClientKit.connectionWith(server, "who", "beating");
      connection.takeInbound("heartbeat", WAIT);
      connection.takeOutbound("phx_reply", WAIT);
      if (transport.isWebSocket()) {
        connection.takeInbound("heartbeat", WAIT);
      } else {
        // Long-poll has no heartbeats: only the ping's went out, whatever the interval.
        connection.assertNoMoreInbound(Duration.ofMillis(400));
      }
      assertThat(beating.isConnected()).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("io.phoenixchannels.it.ClientKit#versionsAndTransports")
  void theV1SerializerWorksOnBothVersions(PhoenixVersion version, ClientTransport over) throws Exception {
    try (PhoenixTestServer v1Server = ClientKit.server(version);
        PhoenixSocket v1 = socket(v1Server, Map.of(), over).vsn("1.0.0").build()) {
      v1.connect();
      PhoenixChannel room = v1.channel("room:v1", NO_PRESENCE);
      assertThat(reply(room.join()).isOk()).isTrue();
      assertThat(reply(room.push("echo", Map.of("v", 1))).response().get("v").asInt()).isEqualTo(1);
      ClientConnection connection = v1Server.takeConnection(WAIT);
      assertThat(connection.vsn()).isEqualTo("1.0.0");
      assertThat(connection.takeOutbound(WAIT).text()).startsWith("{\"event\":\"phx_reply\"");
    }
  }
}
