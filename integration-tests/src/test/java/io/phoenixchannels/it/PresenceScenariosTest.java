package io.phoenixchannels.it;

import static io.phoenixchannels.it.ClientKit.WAIT;
import static io.phoenixchannels.it.ClientKit.reply;
import static io.phoenixchannels.it.ClientKit.socket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.ChannelState;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixPresence;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Presence;
import io.phoenixchannels.testserver.ClientConnection;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.RecordedFrame;
import io.phoenixchannels.testserver.ReferenceApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Presence kept by the server and followed by our client's PhoenixPresence over real sockets, over each transport,
 * on the test server in both modes and on real Phoenix 1.7 and 1.8 ({@link ClientKit#everyVersionAndTransport()});
 * the server's own list is compared on the test server only. A long-poll client leaves its joined channels in one
 * POST before an intentional disconnect or close, so Presence sees it leave at once, as for a WebSocket client,
 * instead of when its session window has passed without a poll (about 30 s on real Phoenix).
 */
@ExtendWith({RealPhoenixLogs.class, ClientTransport.NettyThreads.class})
class PresenceScenariosTest {

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyVersionAndTransport")
  void followsJoinsUpdatesLeavesAndDisconnects(Target target, ClientTransport transport) throws Exception {
    try (ScenarioServer server = target.start();
        PhoenixSocket ivy = socket(server, Map.of("user_id", "ivy"), transport).build();
        PhoenixSocket jon = socket(server, Map.of("user_id", "jon"), transport).build();
        PhoenixSocket kim = socket(server, Map.of("user_id", "kim"), transport).build()) {
      ivy.connect();
      jon.connect();
      kim.connect();
      String topic = server.topic("room:presence");
      PhoenixChannel ivyRoom = ivy.channel(topic, Map.of("name", "Ivy"));
      PhoenixPresence presence = new PhoenixPresence(ivyRoom);
      ClientKit.Events<String> joins = new ClientKit.Events<>();
      ClientKit.Events<String> leaves = new ClientKit.Events<>();
      presence.onJoin((key, current, joined) -> joins.add(key + (current.metas().isEmpty() ? " arrived" : " changed")));
      presence.onLeave((key, current, left) -> leaves.add(key + (current.metas().isEmpty() ? " left" : " changed")));
      reply(ivyRoom.join());
      assertThat(joins.take()).isEqualTo("ivy arrived");

      PhoenixChannel jonRoom = jon.channel(topic, Map.of("name", "Jon"));
      reply(jonRoom.join());
      assertThat(joins.take()).isEqualTo("jon arrived");
      await().atMost(WAIT).until(() -> presence.list(Presence::key).containsAll(List.of("ivy", "jon")));

      reply(jonRoom.push("update_presence", Map.of("status", "away")));
      assertThat(leaves.take()).isEqualTo("jon changed");
      assertThat(joins.take()).isEqualTo("jon changed");
      await().atMost(WAIT).until(() -> presence.get("jon").map(p -> p.metas().get(0).path("status").asText(""))
          .orElse("").equals("away"));
      assertThat(presence.get("jon").orElseThrow().metas()).hasSize(1);
      assertThat(presence.get("jon").orElseThrow().metas().get(0).has("phx_ref_prev")).isTrue();

      PhoenixChannel kimRoom = kim.channel(topic, Map.of("name", "Kim"));
      reply(kimRoom.join());
      assertThat(joins.take()).isEqualTo("kim arrived");
      reply(kimRoom.leave());
      assertThat(leaves.take()).isEqualTo("kim left");

      jon.disconnect().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(leaves.take()).isEqualTo("jon left");
      await().atMost(WAIT).until(() -> presence.list(Presence::key).equals(List.of("ivy")));
      server.testServer().ifPresent(test -> assertThat(test.presenceList(topic).fieldNames()).toIterable()
          .containsExactly("ivy"));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.phoenixchannels.it.ClientKit#everyVersionAndTransport")
  void aClientThatReconnectsEndsWithTheSameListAsAFreshOne(Target target, ClientTransport transport)
      throws Exception {
    try (ScenarioServer server = target.start();
        PhoenixSocket ivy = socket(server, Map.of("user_id", "ivy"), transport).build();
        PhoenixSocket jon = socket(server, Map.of("user_id", "jon"), transport).build();
        PhoenixSocket kim = socket(server, Map.of("user_id", "kim"), transport).build();
        PhoenixSocket fresh = socket(server, Map.of("user_id", "lea"), transport).build()) {
      ivy.connect();
      jon.connect();
      String topic = server.topic("room:rejoin");
      PhoenixChannel ivyRoom = ivy.channel(topic, Map.of("name", "Ivy"));
      PhoenixPresence ivyView = new PhoenixPresence(ivyRoom);
      reply(ivyRoom.join());
      PhoenixChannel jonRoom = jon.channel(topic, Map.of("name", "Jon"));
      reply(jonRoom.join());
      await().atMost(WAIT).until(() -> names(ivyView).equals(List.of("ivy:Ivy", "jon:Jon")));

      // While Ivy is away, Jon leaves and Kim arrives: Ivy's list goes stale, nobody is reported gone.
      ivy.disconnect().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      await().atMost(WAIT).until(ivyView::isStale);
      reply(jonRoom.leave());
      kim.connect();
      reply(kim.channel(topic, Map.of("name", "Kim")).join());
      assertThat(names(ivyView)).as("the last list stays readable while away").contains("jon:Jon");

      ivy.connect();
      fresh.connect();
      PhoenixChannel freshRoom = fresh.channel(topic, Map.of("name", "Lea"));
      PhoenixPresence freshView = new PhoenixPresence(freshRoom);
      reply(freshRoom.join());
      await().atMost(WAIT).until(() -> !ivyView.isStale()
          && names(ivyView).equals(names(freshView)) && names(freshView).equals(
              List.of("ivy:Ivy", "kim:Kim", "lea:Lea")));
    }
  }

  /**
   * The server's long-poll window is a minute here, longer than any wait of the test: the leave can only come from
   * the client's leave POST, not from the end of the session (phoenix.js leaves such a ghost for about 30 s on
   * Phoenix). The same for a disconnect and a close; after the disconnect the channel rejoins on the next connect.
   * Test server only (the window and the recorded frames); against real Phoenix, whose sessions outlive a silent
   * client by 30 s, {@link #followsJoinsUpdatesLeavesAndDisconnects} shows the same leave within its 5 s wait.
   */
  @ParameterizedTest
  @EnumSource(PhoenixVersion.class)
  void aLongPollClientThatDisconnectsOrClosesIsSeenLeavingAtOnceNotAWindowLater(PhoenixVersion version)
      throws Exception {
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder().version(version)
        .longPollWindow(Duration.ofMinutes(1))).start();
        PhoenixSocket ivy = socket(server, Map.of("user_id", "ivy"), ClientTransport.JDK_WEBSOCKET).build()) {
      PhoenixSocket lp = socket(server, Map.of("user_id", "lp"), ClientTransport.LONG_POLL).build();
      ivy.connect();
      lp.connect();
      PhoenixChannel ivyRoom = ivy.channel("room:ghost", Map.of("name", "Ivy"));
      PhoenixPresence presence = new PhoenixPresence(ivyRoom);
      ClientKit.Events<String> leaves = new ClientKit.Events<>();
      presence.onLeave((key, current, left) -> leaves.add(key + (current.metas().isEmpty() ? " left" : " changed")));
      reply(ivyRoom.join());
      PhoenixChannel lpRoom = lp.channel("room:ghost", Map.of("name", "Lp"));
      PhoenixChannel lpOther = lp.channel("room:ghost2", Map.of("name", "Lp"));
      reply(lpRoom.join());
      reply(lpOther.join());
      await().atMost(WAIT).until(() -> presence.list(Presence::key).contains("lp"));

      lp.disconnect().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(leaves.take()).isEqualTo("lp left");
      ClientConnection first = ClientKit.connectionWith(server, "user_id", "lp");
      assertThat(first.frames().stream().filter(frame -> frame.direction() == RecordedFrame.Direction.INBOUND
          && frame.message().event().equals("phx_leave")).map(frame -> frame.message().topic()))
          .containsExactlyInAnyOrder("room:ghost", "room:ghost2");

      lp.connect();
      await().atMost(WAIT).until(() -> presence.list(Presence::key).contains("lp"));
      assertThat(lpRoom.state()).isEqualTo(ChannelState.JOINED);
      lp.close();
      assertThat(leaves.take()).isEqualTo("lp left");
    }
  }

  /** Each presence as key:name of its metas, sorted, so two clients' lists compare whatever their order. */
  private static List<String> names(PhoenixPresence presence) {
    return presence.list().stream()
        .flatMap(entry -> entry.metas().stream().map(meta -> entry.key() + ":" + meta.path("name").asText()))
        .sorted()
        .toList();
  }
}
