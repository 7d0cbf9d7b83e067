package io.phoenixchannels.it;

import static io.phoenixchannels.it.ClientKit.WAIT;
import static io.phoenixchannels.it.ClientKit.reply;
import static io.phoenixchannels.it.ClientKit.socket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.FallbackMemory;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.testserver.ClientConnection;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.TransportKind;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code longPollFallback} against a server whose WebSocket upgrades are blocked, as a proxy blocks them, while its
 * long-poll works: the socket ends up on long-poll within the fallback time, channels work there, and the next
 * connect (of this socket or another to the endpoint) goes straight to long-poll.
 */
class LongPollFallbackScenariosTest {
  private static final Map<String, Object> NO_PRESENCE = Map.of("presence", false);
  private static final Duration FALLBACK = Duration.ofMillis(800);
  /** Room for a busy machine between the fallback time and the open it leads to. */
  private static final Duration SLACK = Duration.ofSeconds(2);

  private final FallbackMemory memory = FallbackMemory.inMemory();

  private PhoenixSocket.Builder fallingBack(PhoenixTestServer server, String userId) {
    return socket(server, Map.of("user_id", userId)).longPollFallback(FALLBACK).fallbackMemory(memory);
  }

  private static void assertWorks(PhoenixSocket socket, String topic) throws InterruptedException {
    PhoenixChannel room = socket.channel(topic, NO_PRESENCE);
    assertThat(reply(room.join()).isOk()).isTrue();
    assertThat(reply(room.push("echo", Map.of("over", "long-poll"))).response().get("over").asText())
        .isEqualTo("long-poll");
  }

  @Test
  void refusedUpgradesSwitchAtOnceAndTheNextConnectsGoStraightToLongPoll() throws Exception {
    try (PhoenixTestServer server = ClientKit.server(PhoenixVersion.PHOENIX_1_8);
        PhoenixSocket socket = fallingBack(server, "first").build();
        PhoenixSocket second = fallingBack(server, "second").build()) {
      server.faults().refuseWebSocketUpgrades(502);
      ClientKit.Events<PhoenixException> errors = new ClientKit.Events<>();
      socket.onError(errors::add);
      long start = System.nanoTime();
      socket.connect();
      await().atMost(FALLBACK.plus(SLACK)).until(socket::isConnected);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FALLBACK.plus(SLACK));
      assertThat(((ConnectionException) errors.take()).httpStatus()).as("the refused upgrade").hasValue(502);
      assertThat(server.takeConnection(WAIT).transport()).isEqualTo(TransportKind.LONGPOLL);
      assertWorks(socket, "room:first");
      assertThat(memory.usesLongPoll(URI.create(server.url()))).isTrue();

      ClientKit.Events<PhoenixException> secondErrors = new ClientKit.Events<>();
      second.onError(secondErrors::add);
      second.connect();
      await().atMost(WAIT).until(second::isConnected);
      assertThat(ClientKit.connectionWith(server, "user_id", "second").transport()).isEqualTo(TransportKind.LONGPOLL);
      assertWorks(second, "room:second");
      assertThat(secondErrors.queue).as("no WebSocket attempt, so no refused upgrade").isEmpty();

      socket.disconnect().get();
      socket.connect();
      await().atMost(WAIT).until(socket::isConnected);
      assertThat(errors.queue).as("a reconnect of the socket stays on long-poll").isEmpty();
    }
  }

  @Test
  void swallowedUpgradesAreAbandonedAtTheFallbackTime() throws Exception {
    try (PhoenixTestServer server = ClientKit.server(PhoenixVersion.PHOENIX_1_8);
        PhoenixSocket socket = fallingBack(server, "stalled").build()) {
      server.faults().stallWebSocketUpgrades();
      ClientKit.Events<CloseEvent> closes = new ClientKit.Events<>();
      socket.onClose(closes::add);
      long start = System.nanoTime();
      socket.connect();
      await().atMost(FALLBACK.plus(SLACK)).until(socket::isConnected);
      Duration openedAfter = Duration.ofNanos(System.nanoTime() - start);
      assertThat(openedAfter).isGreaterThanOrEqualTo(FALLBACK).isLessThan(FALLBACK.plus(SLACK));
      assertThat(closes.take().reason()).isEqualTo("falling back to long-poll");
      assertThat(server.takeConnection(WAIT).transport()).isEqualTo(TransportKind.LONGPOLL);
      assertWorks(socket, "room:stalled");
      assertThat(memory.usesLongPoll(URI.create(server.url()))).isTrue();
    }
  }

  @Test
  void aWebSocketThatDoesNotAnswerItsFirstHeartbeatIsAbandonedForLongPoll() throws Exception {
    try (PhoenixTestServer server = ClientKit.server(PhoenixVersion.PHOENIX_1_8);
        PhoenixSocket socket = fallingBack(server, "mute").build()) {
      server.faults().ignoreHeartbeats(true);
      socket.connect();
      ClientConnection webSocket = server.takeConnection(WAIT);
      assertThat(webSocket.transport()).isEqualTo(TransportKind.WEBSOCKET);
      webSocket.takeInbound("heartbeat", WAIT);
      ClientConnection longPoll = server.takeConnection(FALLBACK.plus(SLACK));
      assertThat(longPoll.transport()).isEqualTo(TransportKind.LONGPOLL);
      assertThat(webSocket.awaitClose(WAIT).byServer()).as("the client dropped the WebSocket").isFalse();
      await().atMost(WAIT).until(socket::isConnected);
      assertWorks(socket, "room:mute");
    }
  }

  @Test
  void aWebSocketThatAnswersItsFirstHeartbeatIsKept() throws Exception {
    try (PhoenixTestServer server = ClientKit.server(PhoenixVersion.PHOENIX_1_8);
        PhoenixSocket socket = fallingBack(server, "healthy").heartbeatInterval(Duration.ofMillis(300)).build()) {
      socket.connect();
      ClientConnection webSocket = server.takeConnection(WAIT);
      webSocket.takeInbound("heartbeat", WAIT);
      webSocket.takeOutbound("phx_reply", WAIT);
      PhoenixChannel room = socket.channel("room:healthy", NO_PRESENCE);
      assertThat(reply(room.join()).isOk()).isTrue();
      // Three more heartbeats 300 ms apart: past the fallback time, on the same WebSocket.
      for (int beat = 0; beat < 3; beat++) {
        webSocket.takeInbound("heartbeat", WAIT);
      }
      assertThat(webSocket.isOpen()).isTrue();
      // And past a server restart: still the WebSocket.
      server.restart();
      await().atMost(WAIT).until(() -> server.openConnections().stream()
          .anyMatch(connection -> connection.joinedTopics().contains("room:healthy")));
      assertThat(server.connections()).allSatisfy(connection ->
          assertThat(connection.transport()).isEqualTo(TransportKind.WEBSOCKET));
      assertThat(memory.usesLongPoll(URI.create(server.url()))).isFalse();
    }
  }
}
