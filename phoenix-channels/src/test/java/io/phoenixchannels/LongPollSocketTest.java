package io.phoenixchannels;

import static io.phoenixchannels.testing.LoopDriver.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.testing.LongPollBodies;
import io.phoenixchannels.testing.LoopDriver;
import io.phoenixchannels.testing.ScriptedHttpServer;
import io.phoenixchannels.testing.ScriptedHttpServer.Exchange;
import io.phoenixchannels.testing.ServerFrames;
import io.phoenixchannels.transport.LongPollTransport;
import io.phoenixchannels.transport.TransportRequest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A socket over the real long-poll transport, against a scripted HTTP server, on a manual clock: what the socket does
 * with long-poll's statuses (reconnects, rejoins), no heartbeats, sends of one burst in one request, the long-poll
 * options, and a custom codec refused.
 */
class LongPollSocketTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ScriptedHttpServer server;
  private ManualEventLoop loop;
  private LoopDriver driver;
  private final List<CloseEvent> closes = new ArrayList<>();
  private final List<PhoenixException> errors = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedHttpServer();
    loop = new ManualEventLoop();
    driver = new LoopDriver(loop, server);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private PhoenixSocket.Builder builder() {
    return PhoenixSocket.builder(server.url() + "/socket").eventLoop(loop)
        .transport(LongPollTransport.factory(HTTP));
  }

  private PhoenixSocket socket(PhoenixSocket.Builder builder) {
    PhoenixSocket socket = builder.build();
    socket.onClose(closes::add);
    socket.onError(errors::add);
    return socket;
  }

  /** Answers the opening GET with a session and returns the first held poll. */
  private Exchange openSession(String token) throws Exception {
    Exchange opening = driver.nextGet();
    assertThat(opening.query("token")).as("an opening GET").isNull();
    opening.respond(LongPollBodies.opened(token));
    return driver.nextGet();
  }

  private static List<JsonNode> frames(Exchange post) {
    List<JsonNode> frames = new ArrayList<>();
    for (String line : post.lines()) {
      frames.add(ServerFrames.json(line));
    }
    return frames;
  }

  /** Joins a channel over the session: its join POST acknowledged and its ok reply delivered by the held poll. */
  private Exchange join(PhoenixChannel channel, Exchange held, String token) throws Exception {
    channel.join();
    Exchange post = driver.nextPost();
    JsonNode join = frames(post).get(0);
    post.respond(LongPollBodies.status(200));
    held.respond(LongPollBodies.messages(token, ServerFrames.ok(join.get(0).asText(), join.get(1).asText(),
        channel.topic())));
    Exchange next = driver.nextGet();
    driver.until(() -> channel.state() == ChannelState.JOINED);
    return next;
  }

  @Nested
  class SessionEnds {
    @Test
    void anIntentionalDisconnectLeavesTheJoinedChannelsInOnePostFirstAndTheyRejoinOnTheNextConnect()
        throws Exception {
      PhoenixSocket socket = socket(builder());
      socket.connect();
      Exchange held = openSession("T");
      PhoenixChannel lobby = socket.channel("room:lobby");
      PhoenixChannel game = socket.channel("game:1");
      held = join(lobby, held, "T");
      join(game, held, "T");
      CompletableFuture<Void> disconnected = socket.disconnect();
      Exchange leaves = driver.nextPost();
      List<JsonNode> sent = frames(leaves);
      assertThat(sent).extracting(frame -> frame.get(3).asText()).containsExactly("phx_leave", "phx_leave");
      assertThat(sent).extracting(frame -> frame.get(2).asText()).containsExactly("room:lobby", "game:1");
      assertThat(sent.get(0).get(0).asText()).as("the join_ref of the lobby's join").isEqualTo(lobby.joinRef());
      assertThat(disconnected).isNotDone();
      leaves.respond(LongPollBodies.status(200));
      driver.until(disconnected::isDone);
      assertThat(closes.get(0).requested()).isTrue();
      assertThat(lobby.state()).isEqualTo(ChannelState.ERRORED);

      socket.connect();
      Exchange again = openSession("U");
      Exchange rejoins = driver.nextPost();
      assertThat(frames(rejoins)).extracting(frame -> frame.get(3).asText()).containsOnly("phx_join");
      assertThat(again.query("token")).isEqualTo("U");
    }

    @Test
    void theLeavesOfADisconnectWaitForADeadServerOnlyUntilTheCloseTimeout() throws Exception {
      PhoenixSocket socket = socket(builder());
      socket.connect();
      join(socket.channel("room:lobby"), openSession("T"), "T");
      CompletableFuture<Void> disconnected = socket.disconnect();
      driver.nextPost(); // never answered
      loop.advance(Duration.ofMillis(999));
      assertThat(disconnected).isNotDone();
      loop.advance(Duration.ofMillis(1));
      driver.until(disconnected::isDone);
      assertThat(socket.state()).isEqualTo(SocketState.CLOSED);
      loop.advance(Duration.ofMinutes(1));
      server.assertNoRequest(Duration.ofMillis(100));
    }

    @Test
    void pushesOfAPostAnswered410GoAgainAfterTheRejoinInOrderBeforeLaterOnesAndTheJoinIsNotRepeated()
        throws Exception {
      PhoenixSocket socket = socket(builder().reconnectPolicy(ReconnectPolicy.builder()
          .delays(Duration.ofMillis(10)).build()));
      socket.connect();
      PhoenixChannel lobby = socket.channel("room:lobby");
      join(lobby, openSession("T"), "T");
      List<Push> pushes = new ArrayList<>();
      loop.execute(() -> {
        pushes.add(lobby.push("echo", Map.of("n", 1)));
        pushes.add(lobby.push("echo", Map.of("n", 2)));
      });
      Exchange refused = driver.nextPost();
      loop.execute(() -> pushes.add(lobby.push("echo", Map.of("n", 3))));
      loop.runPending();
      refused.respond(LongPollBodies.status(410));
      driver.until(() -> !closes.isEmpty());
      assertThat(closes.get(0).code()).isEqualTo(LongPollTransport.SESSION_GONE);
      loop.execute(() -> pushes.add(lobby.push("echo", Map.of("n", 4))));

      loop.advance(Duration.ofMillis(10));
      Exchange held = openSession("U");
      Exchange rejoin = driver.nextPost();
      JsonNode join = frames(rejoin).get(0);
      assertThat(frames(rejoin)).hasSize(1);
      rejoin.respond(LongPollBodies.status(200));
      held.respond(LongPollBodies.messages("U", ServerFrames.ok(join.get(0).asText(), join.get(1).asText(),
          "room:lobby")));
      Exchange resent = driver.nextPost();
      List<JsonNode> again = frames(resent);
      assertThat(again).extracting(frame -> frame.get(4).get("n").asInt()).containsExactly(1, 2, 3, 4);
      assertThat(again).extracting(frame -> frame.get(0).asText()).containsOnly(join.get(0).asText());
      assertThat(pushes).noneMatch(push -> push.toFuture().isDone());
    }
  }

  @Nested
  class Heartbeats {
    @Test
    void noneGoOverLongPollWhilePollsKeepTheSessionAlive() throws Exception {
      PhoenixSocket socket = socket(builder());
      socket.connect();
      Exchange held = openSession("T");
      for (int window = 0; window < 7; window++) {
        loop.advance(Duration.ofSeconds(10));
        held.respond(LongPollBodies.idle("T"));
        held = driver.nextGet();
      }
      assertThat(loop.elapsed()).isGreaterThan(Duration.ofSeconds(60));
      assertThat(server.waiting()).as("no POST: no heartbeat").isEmpty();
      assertThat(socket.isConnected()).isTrue();
      assertThat(closes).isEmpty();
    }

    @Test
    void pingStillMeasuresTheRoundTrip() throws Exception {
      PhoenixSocket socket = socket(builder());
      socket.connect();
      Exchange held = openSession("T");
      CompletableFuture<Duration> ping = socket.ping();
      Exchange post = driver.nextPost();
      JsonNode heartbeat = frames(post).get(0);
      assertThat(heartbeat.get(3).asText()).isEqualTo("heartbeat");
      post.respond(LongPollBodies.status(200));
      loop.advance(Duration.ofMillis(30));
      held.respond(LongPollBodies.messages("T", ServerFrames.heartbeatReply(heartbeat.get(1).asText())));
      driver.until(ping::isDone);
      assertThat(ping.get()).isEqualTo(Duration.ofMillis(30));
    }
  }

  @Nested
  class Statuses {
    @Test
    void aGoneSessionClosesWith3410AndTheSocketReconnectsWithANewSessionAndRejoins() throws Exception {
      PhoenixSocket socket = socket(builder().params(Map.of("user_id", "u")));
      socket.connect();
      PhoenixChannel room = socket.channel("room:lp");
      Exchange held = join(room, openSession("T1"), "T1");
      String firstJoinRef = room.joinRef();

      held.respond(LongPollBodies.opened("T2"));
      driver.until(() -> !closes.isEmpty());
      assertThat(closes.get(0).code()).isEqualTo(LongPollTransport.SESSION_GONE);
      assertThat(closes.get(0).reason()).isEqualTo("session_gone");
      assertThat(closes.get(0).requested()).isFalse();
      assertThat(closes.get(0).httpStatus()).hasValue(410);
      assertThat(room.state()).isEqualTo(ChannelState.ERRORED);

      loop.advance(Duration.ofMillis(10));
      Exchange reopened = driver.nextGet();
      assertThat(reopened.query("token")).as("a new session").isNull();
      assertThat(reopened.query("user_id")).isEqualTo("u");
      reopened.respond(LongPollBodies.opened("T3"));
      driver.nextGet();
      Exchange rejoin = driver.nextPost();
      assertThat(rejoin.query("token")).isEqualTo("T3");
      JsonNode join = frames(rejoin).get(0);
      assertThat(join.get(3).asText()).isEqualTo("phx_join");
      assertThat(join.get(0).asText()).isNotEqualTo(firstJoinRef);
    }

    @Test
    void aRefusedConnectClosesWith1008AndIsRetriedOnTheBackoff() throws Exception {
      PhoenixSocket socket = socket(builder());
      socket.connect();
      driver.nextGet().respond(LongPollBodies.status(403));
      driver.until(() -> !closes.isEmpty());
      assertThat(errors).singleElement().satisfies(error ->
          assertThat(((ConnectionException) error).httpStatus()).hasValue(403));
      assertThat(closes.get(0).code()).isEqualTo(LongPollTransport.FORBIDDEN);
      assertThat(closes.get(0).reason()).isEqualTo("forbidden");
      loop.advance(Duration.ofMillis(9));
      assertThat(server.waiting()).isEmpty();
      loop.advance(Duration.ofMillis(1));
      assertThat(driver.nextGet().query("token")).isNull();
    }

    @Test
    void aServerErrorClosesWith1011AndTheSocketReconnects() throws Exception {
      PhoenixSocket socket = socket(builder());
      socket.connect();
      openSession("T").respond(LongPollBodies.status(500));
      driver.until(() -> !closes.isEmpty());
      assertThat(closes.get(0).code()).isEqualTo(LongPollTransport.SERVER_ERROR);
      loop.advance(Duration.ofMillis(10));
      assertThat(driver.nextGet().query("token")).isNull();
    }

    @Test
    void aPollTimeoutClosesWith1005AndTheSocketReconnects() throws Exception {
      PhoenixSocket socket = socket(builder().longPollTimeout(Duration.ofSeconds(12)));
      socket.connect();
      openSession("T");
      loop.advance(Duration.ofSeconds(12));
      assertThat(closes).singleElement().satisfies(close -> assertThat(close.code())
          .isEqualTo(LongPollTransport.TIMEOUT));
      loop.advance(Duration.ofMillis(10));
      assertThat(driver.nextGet().query("token")).isNull();
    }

    @Test
    void theAuthTokenSupplierIsReadForEveryNewSession() throws Exception {
      AtomicInteger issued = new AtomicInteger();
      PhoenixSocket socket = socket(builder().authToken(() -> "token-" + issued.incrementAndGet()));
      socket.connect();
      Exchange opening = driver.nextGet();
      assertThat(opening.header("X-Phoenix-AuthToken")).isEqualTo("token-1");
      opening.respond(LongPollBodies.status(403));
      driver.until(() -> !closes.isEmpty());
      loop.advance(Duration.ofMillis(10));
      assertThat(driver.nextGet().header("X-Phoenix-AuthToken")).isEqualTo("token-2");
    }
  }

  @Nested
  class Bursts {
    @Test
    void theJoinsBufferedBeforeTheOpenGoInOneRequestInOrder() throws Exception {
      PhoenixSocket socket = socket(builder());
      socket.channel("room:a").join();
      socket.channel("room:b").join();
      socket.channel("room:c").join();
      socket.connect();
      openSession("T");
      Exchange post = driver.nextPost();
      assertThat(frames(post)).extracting(frame -> frame.get(2).asText())
          .containsExactly("room:a", "room:b", "room:c");
      post.respond(LongPollBodies.status(200));
      loop.runPending();
      assertThat(server.waiting()).isEmpty();
    }

    @Test
    void pushesMadeInOneCallbackGoInOneRequestAndLaterOnesWaitForItsAnswer() throws Exception {
      PhoenixSocket socket = socket(builder());
      socket.connect();
      PhoenixChannel room = socket.channel("room:a");
      Exchange held = join(room, openSession("T"), "T");
      loop.execute(() -> {
        room.push("echo", Map.of("n", 1));
        room.push("echo", Map.of("n", 2));
      });
      Exchange first = driver.nextPost();
      assertThat(frames(first)).extracting(frame -> frame.get(4).get("n").asInt()).containsExactly(1, 2);
      room.push("echo", Map.of("n", 3));
      room.push("echo", Map.of("n", 4));
      loop.runPending();
      assertThat(server.waiting()).isEmpty();
      first.respond(LongPollBodies.status(200));
      assertThat(frames(driver.nextPost())).extracting(frame -> frame.get(4).get("n").asInt()).containsExactly(3, 4);
      assertThat(held.awaitAbandoned(Duration.ZERO)).as("the poll is still held meanwhile").isFalse();
    }
  }

  @Nested
  class Options {
    private final FakeTransport fake = new FakeTransport();

    @Test
    void theLongPollTimeoutIsTwentySecondsByDefaultAndTravelsWithTheLoopInTheRequest() {
      PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop).transport(fake).build().connect();
      TransportRequest request = fake.last().request();
      assertThat(request.longPollTimeout()).isEqualTo(Duration.ofSeconds(20));
      assertThat(request.eventLoop()).isSameAs(loop);
      assertThat(request.uri("longpoll", false)).hasToString("http://example.test/socket/longpoll?vsn=2.0.0");

      PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop).transport(fake)
          .longPollTimeout(Duration.ofSeconds(45)).build().connect();
      assertThat(fake.last().request().longPollTimeout()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void aNonPositiveLongPollTimeoutIsRefused() {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> PhoenixSocket.builder("ws://example.test/socket")
          .longPollTimeout(Duration.ZERO).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longPollTimeout");
    }

    @Test
    void theV1SerializerTravelsAsIs() throws Exception {
      PhoenixSocket socket = socket(builder().vsn("1.0.0"));
      socket.connect();
      Exchange opening = driver.nextGet();
      assertThat(opening.query("vsn")).isEqualTo("1.0.0");
      opening.respond(LongPollBodies.opened("T"));
      driver.nextGet();
      socket.channel("room:v1").join();
      JsonNode join = frames(driver.nextPost()).get(0);
      assertThat(join.isObject()).isTrue();
      assertThat(join.get("event").asText()).isEqualTo("phx_join");
    }
  }

  @Test
  void closingTheSocketSendsItsLeavesBeforeTheTransportCloses() throws Exception {
    PhoenixSocket socket = socket(builder());
    socket.connect();
    PhoenixChannel room = socket.channel("room:bye");
    Exchange held = join(room, openSession("T"), "T");
    socket.close();
    Exchange leave = driver.nextPost();
    assertThat(frames(leave).get(0).get(3).asText()).isEqualTo("phx_leave");
    assertThat(held.awaitAbandoned(WAIT)).isTrue();
    leave.respond(LongPollBodies.status(200));
    driver.until(() -> !closes.isEmpty());
    assertThat(closes.get(0).code()).isEqualTo(CloseEvent.NORMAL);
    assertThat(closes.get(0).requested()).isTrue();
  }
}
