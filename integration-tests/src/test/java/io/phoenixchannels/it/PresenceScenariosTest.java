package io.phoenixchannels.it;

import static io.phoenixchannels.it.ClientKit.WAIT;
import static io.phoenixchannels.it.ClientKit.reply;
import static io.phoenixchannels.it.ClientKit.socket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixPresence;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Presence;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Presence kept by the server and followed by our client's PhoenixPresence over real sockets, over each transport,
 * on the test server in both modes and on real Phoenix 1.7 and 1.8 ({@link ClientKit#everyVersionAndTransport()});
 * the server's own list is compared on the test server only. A long-poll client's disconnect reaches the server
 * only when its session window passes without a poll ({@link ScenarioServer#longPollWindow()}: 1 s on the test
 * server, measured 29 s on real Phoenix, issue 14): Presence then sees it leave.
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

      jon.disconnect().get();
      // Over long-poll the server notices when jon's session window has passed without a poll.
      await().atMost(WAIT.plus(server.longPollWindow())).until(() -> !presence.get("jon").isPresent());
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
      await().atMost(WAIT.plus(server.longPollWindow())).until(() -> !ivyView.isStale()
          && names(ivyView).equals(names(freshView)) && names(freshView).equals(
              List.of("ivy:Ivy", "kim:Kim", "lea:Lea")));
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
