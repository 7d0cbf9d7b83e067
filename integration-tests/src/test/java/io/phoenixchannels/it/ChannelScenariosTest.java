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
import io.phoenixchannels.testserver.RecordedFrame;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our client against the reference app over real sockets: joins, replies, pushes, broadcasts, stops, crashes —
 * each over the JDK, OkHttp and Netty WebSockets and long-poll ({@link ClientTransport}).
 *
 * <p>Where each runs ({@link Target}): the scenarios of {@link ClientKit#everyServerAndTransport()} on the test
 * server as Phoenix 1.8 and on real Phoenix 1.7 and 1.8 (with the Maven profile {@code real-phoenix}); those of
 * {@link ClientKit#everyVersionAndTransport()} on the test server in both modes as well. What a scenario checks on
 * the wire (join refs, the frames the server saw) it checks on the test server only, which records frames; what
 * the client sees it checks everywhere. On the test server only, since they need what only it can do:
 * {@link #aReplyTheServerDropsEndsInATimeoutAndADelayedOneStillArrives} (fault injection) and
 * {@link #aJoinBeyondTheServersChannelLimitIsRefused} (a channel limit the reference app does not set).
 */
@ExtendWith({RealPhoenixLogs.class, ClientTransport.NettyThreads.class})
class ChannelScenariosTest {
  private static final Map<String, Object> NO_PRESENCE = Map.of("presence", false);

  private ScenarioServer server;
  private PhoenixSocket socket;
  private ClientTransport transport;

  /** The target's reference app and a connected socket over the transport. */
  private void start(Target target, ClientTransport over) {
    transport = over;
    server = target.start();
    socket = socket(server, Map.of("user_id", "ada"), transport).build();
    socket.connect();
  }

  /** The test server as Phoenix 1.8 and a connected socket over the transport. */
  private void startTestServer(ClientTransport over) {
    start(Target.TEST_SERVER_1_8, over);
  }

  /** The test server, for a scenario that runs on it only. */
  private PhoenixTestServer testServer() {
    return server.testServer().orElseThrow();
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
    PhoenixChannel channel = socket.channel(server.topic(topic), NO_PRESENCE);
    assertThat(reply(channel.join()).status()).isEqualTo("ok");
    return channel;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyServerAndTransport")
  void joinsWithTheParamsAndGetsTheServersReply(Target target, ClientTransport over) throws Exception {
    start(target, over);
    String topic = server.topic("room:lobby");
    PhoenixChannel room = socket.channel(topic, Map.of("name", "Ada", "presence", false));
    Reply joined = reply(room.join());
    assertThat(joined.response().get("joined").asText()).isEqualTo(topic);
    assertThat(joined.response().get("params").get("name").asText()).isEqualTo("Ada");
    assertThat(room.state()).isEqualTo(ChannelState.JOINED);
    if (server.testServer().isPresent()) {
      RecordedFrame join = testServer().takeConnection(WAIT).takeInbound("phx_join", WAIT);
      assertThat(join.message().joinRef()).isEqualTo(join.message().ref());
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyServerAndTransport")
  void aRefusedJoinReportsTheReasonAndAPolicyCanStopTheRetries(Target target, ClientTransport over) throws Exception {
    start(target, over);
    PhoenixSocket strict = socket(server, Map.of(), transport).rejoinPolicy(RejoinPolicy.builder()
        .retryJoinErrorIf(reply -> false).build()).build();
    try (strict) {
      strict.connect();
      PhoenixChannel secret = strict.channel(server.topic("room:private"));
      ClientKit.Events<ChannelClose> closes = new ClientKit.Events<>();
      secret.onClose(closes::add);
      Reply refused = reply(secret.join());
      assertThat(refused.status()).isEqualTo("error");
      assertThat(refused.response().get("reason").asText()).isEqualTo("unauthorized");
      assertThat(closes.take().requested()).isFalse();
      assertThat(secret.state()).isEqualTo(ChannelState.CLOSED);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyServerAndTransport")
  void aRefusedJoinIsRetriedOnTheRejoinBackoffByDefault(Target target, ClientTransport over) throws Exception {
    start(target, over);
    PhoenixChannel secret = socket.channel(server.topic("room:private"));
    ClientKit.Events<String> refusals = new ClientKit.Events<>();
    secret.join().receive(Reply.ERROR, reply -> refusals.add(reply.response().path("reason").asText()));
    assertThat(refusals.take()).isEqualTo("unauthorized");
    assertThat(refusals.take()).as("the retry on the rejoin backoff").isEqualTo("unauthorized");
    if (server.testServer().isPresent()) {
      ClientConnection connection = testServer().takeConnection(WAIT);
      String first = connection.takeInbound("phx_join", WAIT).message().joinRef();
      String second = connection.takeInbound("phx_join", WAIT).message().joinRef();
      assertThat(second).isNotEqualTo(first);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyServerAndTransport")
  void aJoinThatCrashesIsAnErrorAndTheSocketStaysUsable(Target target, ClientTransport over) throws Exception {
    start(target, over);
    Reply crashed = reply(socket.channel("room:crash_on_join").join());
    assertThat(crashed.response().get("reason").asText()).isEqualTo("join crashed");
    assertThat(reply(joined("room:after").push("echo", Map.of("ok", true))).response().get("ok").asBoolean())
        .isTrue();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyServerAndTransport")
  void repliesOkAndErrorAndTimesOutWithoutAReply(Target target, ClientTransport over) throws Exception {
    start(target, over);
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

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyServerAndTransport")
  void aSlowReplyWithinTheTimeoutArrivesAndOneAfterItIsIgnored(Target target, ClientTransport over) throws Exception {
    start(target, over);
    PhoenixChannel room = joined("room:slow");
    assertThat(failure(room.push("slow", Map.of("ms", 400), Duration.ofMillis(100))))
        .isInstanceOf(PushTimeoutException.class);
    assertThat(reply(room.push("slow", Map.of("ms", 50), Duration.ofSeconds(2))).response().get("ms").asInt())
        .isEqualTo(50);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyServerAndTransport")
  void receivesServerPushesBeforeTheReply(Target target, ClientTransport over) throws Exception {
    start(target, over);
    PhoenixChannel room = joined("room:push");
    ClientKit.Inbox items = inbox(room, "item");
    ClientKit.Events<Integer> itemsAtReply = new ClientKit.Events<>();
    room.push("push_many", Map.of("n", 3)).receive(Reply.OK, reply -> itemsAtReply.add(items.queue.size()));
    assertThat(itemsAtReply.take()).as("pushes received when the reply came").isEqualTo(3);
    for (int i = 1; i <= 3; i++) {
      assertThat(items.take().payload().get("i").asInt()).isEqualTo(i);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyServerAndTransport")
  void broadcastsReachEveryMemberAndBroadcastFromAllButTheSender(Target target, ClientTransport over)
      throws Exception {
    start(target, over);
    try (PhoenixSocket other = socket(server, Map.of("user_id", "bob"), transport).build()) {
      other.connect();
      PhoenixChannel mine = joined("room:bcast");
      PhoenixChannel theirs = other.channel(mine.topic(), NO_PRESENCE);
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
      if (server.testServer().isPresent()) {
        testServer().broadcast(mine.topic(), "broadcasted", Map.of("msg", "from the server"));
        assertThat(mineGot.take().payload().get("msg").asText()).isEqualTo("from the server");
      } else {
        // Real Phoenix has no door for a broadcast from outside: the other member's broadcast stands in for it,
        // and shows that "not me" never reached this member.
        reply(theirs.push("broadcast", Map.of("msg", "from bob")));
        assertThat(mineGot.take().payload().get("msg").asText()).isEqualTo("from bob");
      }
      assertThat(mineGot.isEmpty()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyServerAndTransport")
  void aChannelTheServerStopsClosesWithoutRejoiningAndItsPendingPushTimesOut(Target target, ClientTransport over)
      throws Exception {
    start(target, over);
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

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyVersionAndTransport")
  void aCrashErrorsTheChannelWhichRejoinsWithANewJoinRef(Target target, ClientTransport over) throws Exception {
    start(target, over);
    String topic = server.topic("room:crashy");
    // A join's reply carries the join's ref as both join_ref and ref: the join refs, as the client saw them.
    ClientKit.Events<String> joinRefs = new ClientKit.Events<>();
    socket.onMessage(message -> {
      if (message.topic().equals(topic) && message.isReply() && message.joinRef() != null
          && message.joinRef().equals(message.ref())) {
        joinRefs.add(message.joinRef());
      }
    });
    PhoenixChannel room = socket.channel(topic, NO_PRESENCE);
    reply(room.join());
    String firstJoinRef = joinRefs.take();
    ClientKit.Events<ChannelError> errors = new ClientKit.Events<>();
    room.onError(errors::add);

    var crash = room.push("crash", Map.of(), Duration.ofMillis(500));
    ChannelError error = errors.take();
    assertThat(error.fromServer()).isTrue();
    // Phoenix 1.8 says why; 1.7 sends an empty phx_error.
    assertThat(error.reason()).isEqualTo(target.is18() ? "channel_crash" : "phx_error");
    assertThat(joinRefs.take()).as("the rejoin's join_ref").isNotEqualTo(firstJoinRef);
    await().atMost(WAIT).until(() -> room.state() == ChannelState.JOINED);
    if (server.testServer().isPresent()) {
      ClientConnection connection = testServer().takeConnection(WAIT);
      String sent = connection.takeInbound("phx_join", WAIT).message().joinRef();
      assertThat(connection.takeInbound("phx_join", WAIT).message().joinRef()).isNotEqualTo(sent);
    }
    assertThat(failure(crash)).isInstanceOf(PushTimeoutException.class);
    assertThat(reply(room.push("echo", Map.of("after", "rejoin"))).response().get("after").asText())
        .isEqualTo("rejoin");
  }

  /** On the test server only: it drops and delays replies on request. */
  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aReplyTheServerDropsEndsInATimeoutAndADelayedOneStillArrives(ClientTransport over) throws Exception {
    startTestServer(over);
    PhoenixChannel room = joined("room:faults");
    testServer().faults().dropReplies(message -> message.event().equals("echo"));
    assertThat(failure(room.push("echo", Map.of(), Duration.ofMillis(200)))).isInstanceOf(
        PushTimeoutException.class);
    testServer().faults().reset().delayReplies(Duration.ofMillis(100));
    assertThat(reply(room.push("echo", Map.of("late", true), Duration.ofSeconds(2))).response().get("late")
        .asBoolean()).isTrue();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyServerAndTransport")
  void aPushToATopicTheServerDoesNotKnowGetsUnmatchedTopic(Target target, ClientTransport over) throws Exception {
    start(target, over);
    PhoenixChannel nowhere = socket.channel("nowhere:1");
    Reply reply = reply(nowhere.join());
    assertThat(reply.status()).isEqualTo("error");
    assertThat(reply.response().get("reason").asText()).isEqualTo("unmatched topic");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyServerAndTransport")
  void leavingGetsOkThenTheServerClosesTheChannel(Target target, ClientTransport over) throws Exception {
    start(target, over);
    PhoenixChannel room = joined("room:leave");
    ClientKit.Inbox afterLeave = inbox(room, "broadcasted");
    assertThat(reply(room.leave()).isOk()).isTrue();
    assertThat(room.state()).isEqualTo(ChannelState.CLOSED);
    if (server.testServer().isPresent()) {
      ClientConnection connection = testServer().takeConnection(WAIT);
      connection.takeOutbound("phx_close", WAIT);
      await().atMost(WAIT).until(() -> connection.joinedTopics().isEmpty());
    } else {
      // The server left the channel: another member's broadcast no longer reaches this socket.
      try (PhoenixSocket other = socket(server, Map.of("user_id", "bob"), transport).build()) {
        other.connect();
        PhoenixChannel theirs = other.channel(room.topic(), NO_PRESENCE);
        reply(theirs.join());
        ClientKit.Inbox theirsGot = inbox(theirs, "broadcasted");
        reply(theirs.push("broadcast", Map.of("msg", "anyone?")));
        theirsGot.take();
        assertThat(afterLeave.isEmpty()).isTrue();
      }
    }
  }

  /** On the test server only: the reference app sets no channel limit. */
  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aJoinBeyondTheServersChannelLimitIsRefused(ClientTransport over) throws Exception {
    try (PhoenixTestServer limited = ClientKit.server(PhoenixTestServer.builder().maxChannelsPerSocket(1));
        PhoenixSocket client = socket(limited, Map.of(), over).build()) {
      client.connect();
      assertThat(reply(client.channel("room:one", NO_PRESENCE).join()).isOk()).isTrue();
      Reply second = reply(client.channel("room:two", NO_PRESENCE).join());
      assertThat(second.response().get("reason").asText()).isEqualTo("max channels per socket");
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyServerAndTransport")
  void binaryPayloadsGoBothWays(Target target, ClientTransport over) throws Exception {
    start(target, over);
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
   * The test server answers the same way.
   */
  private void binaryPushesArriveButPhoenixCannotAnswerInBinaryOverLongPoll(PhoenixChannel room) throws Exception {
    ClientKit.Events<PhoenixException> errors = new ClientKit.Events<>();
    socket.onError(errors::add);
    assertThat(failure(room.push("binary_echo", new byte[] {0, 1, 2, (byte) 0xfe}, Duration.ofMillis(300))))
        .isInstanceOf(PushTimeoutException.class);
    assertThat(errors.take().getMessage()).contains("HTTP 500", "binary");
    await().atMost(WAIT).until(() -> room.state() == ChannelState.JOINED);
    if (server.testServer().isPresent()) {
      RecordedFrame pushed = testServer().takeConnection(WAIT).takeInbound("binary_echo", WAIT);
      assertThat(pushed.isBinary()).isTrue();
      assertThat(pushed.payload().binaryValue()).containsExactly(0, 1, 2, 0xfe);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyServerAndTransport")
  void heartbeatsAreAnsweredAndPingMeasuresTheRoundTrip(Target target, ClientTransport over) throws Exception {
    start(target, over);
    // A short interval, and a timeout long enough that a busy machine's slow reply does not abort the connection
    // under the ping (the heartbeat timeout has its own test in ClientImprovementsTest).
    ClientKit.Events<Message> heartbeatReplies = new ClientKit.Events<>();
    try (PhoenixSocket beating = socket(server, Map.of("who", "beating"), transport)
        .heartbeatInterval(Duration.ofMillis(100)).heartbeatTimeout(Duration.ofSeconds(2)).build()) {
      beating.onMessage(message -> {
        if (message.topic().equals("phoenix") && message.isReply()) {
          heartbeatReplies.add(message);
        }
      });
      beating.connect();
      await().atMost(WAIT).until(beating::isConnected);
      Duration roundTrip = beating.ping().get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      assertThat(roundTrip).isPositive();
      assertThat(heartbeatReplies.take().payload().path("status").asText()).isEqualTo("ok");
      if (transport.isWebSocket()) {
        assertThat(heartbeatReplies.take().payload().path("status").asText()).as("the interval's heartbeat")
            .isEqualTo("ok");
      }
      if (server.testServer().isPresent()) {
        ClientConnection connection = ClientKit.connectionWith(testServer(), "who", "beating");
        connection.takeInbound("heartbeat", WAIT);
        connection.takeOutbound("phx_reply", WAIT);
        if (transport.isWebSocket()) {
          connection.takeInbound("heartbeat", WAIT);
        } else {
          // Long-poll has no heartbeats: only the ping's went out, whatever the interval.
          connection.assertNoMoreInbound(Duration.ofMillis(400));
        }
      }
      assertThat(beating.isConnected()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyVersionAndTransport")
  void theV1SerializerWorksOnBothVersions(Target target, ClientTransport over) throws Exception {
    transport = over;
    server = target.start();
    try (PhoenixSocket v1 = socket(server, Map.of(), over).vsn("1.0.0").build()) {
      v1.connect();
      PhoenixChannel room = v1.channel(server.topic("room:v1"), NO_PRESENCE);
      assertThat(reply(room.join()).isOk()).isTrue();
      assertThat(reply(room.push("echo", Map.of("v", 1))).response().get("v").asInt()).isEqualTo(1);
      if (server.testServer().isPresent()) {
        ClientConnection connection = testServer().takeConnection(WAIT);
        assertThat(connection.vsn()).isEqualTo("1.0.0");
        assertThat(connection.takeOutbound(WAIT).text()).startsWith("{\"event\":\"phx_reply\"");
      }
    }
  }
}
