package io.phoenixchannels.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.testserver.ChannelHandler;
import io.phoenixchannels.testserver.ClientConnection;
import io.phoenixchannels.testserver.ConnectionClose;
import io.phoenixchannels.testserver.HandleResult;
import io.phoenixchannels.testserver.JoinRequest;
import io.phoenixchannels.testserver.JoinResult;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import io.phoenixchannels.testserver.ServerChannel;
import io.phoenixchannels.testserver.ServerListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code phx listen}: every event of one channel until interrupted, a count, or the server closing it. */
class ListenCommandTest {

  @Test
  void printsPresenceAndBroadcastsAsJsonLines() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      PhxRunner listening = PhxRunner.start("listen", server.url(), "room:lobby", "--param", "user_id=lis",
          "--join-params", "{\"name\":\"Lis\"}", "--count", "1", "--json");
      await().atMost(Duration.ofSeconds(10)).until(() -> listening.out().contains("\"type\":\"presence\""));

      PhxRunner.Result pushed = PhxRunner.run("push", server.url(), "room:lobby", "broadcast",
          "{\"body\":\"hello\"}", "--param", "user_id=bob", "--join-params", "{\"name\":\"Bob\"}");
      assertThat(pushed.exitCode()).isEqualTo(ExitCode.OK);

      PhxRunner.Result result = listening.await(PhxRunner.DEADLINE);
      assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.OK);
      assertThat(result.json("socket").get(0).get("state").asText()).isEqualTo("open");
      JsonNode joined = result.json("reply").get(0);
      assertThat(joined.get("event").asText()).isEqualTo("phx_join");
      assertThat(joined.get("status").asText()).isEqualTo("ok");
      List<JsonNode> presence = result.json("presence");
      assertThat(presence).anySatisfy(change -> {
        assertThat(change.get("event").asText()).isEqualTo("join");
        assertThat(change.get("key").asText()).isEqualTo("lis");
        assertThat(change.get("metas").get(0).get("name").asText()).isEqualTo("Lis");
      });
      assertThat(presence).anySatisfy(change -> assertThat(change.get("key").asText()).isEqualTo("bob"));
      JsonNode broadcast = result.json("message").get(0);
      assertThat(broadcast.get("topic").asText()).isEqualTo("room:lobby");
      assertThat(broadcast.get("event").asText()).isEqualTo("broadcasted");
      assertThat(broadcast.get("payload").get("body").asText()).isEqualTo("hello");
      assertThat(result.json()).noneSatisfy(line -> assertThat(line.get("type").asText()).isEqualTo("error"));
    }
  }

  @Test
  void anInterruptLeavesTheChannelAndDisconnects() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    ServerListener listener = new ServerListener() {
      @Override
      public void channelEnded(ServerChannel channel, String reason) {
        heard.add(channel.topic() + " " + reason);
      }

      @Override
      public void disconnected(ClientConnection connection, ConnectionClose close) {
        heard.add("disconnected " + close.code());
      }
    };
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder().listener(listener)).start()) {
      PhxRunner listening = PhxRunner.start("listen", server.url(), "room:lobby");
      await().atMost(Duration.ofSeconds(10)).until(() -> listening.out().contains("phx_join ok"));
      listening.interrupt();
      PhxRunner.Result result = listening.await(PhxRunner.DEADLINE);
      assertThat(result.exitCode()).isEqualTo(ExitCode.INTERRUPTED);
      await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 2);
      assertThat(heard).containsExactly("room:lobby left", "disconnected 1000");
    }
  }

  @Test
  void aChannelTheServerClosesEndsWithExitOne() throws Exception {
    List<ServerChannel> joined = new CopyOnWriteArrayList<>();
    ChannelHandler stoppable = new ChannelHandler() {
      @Override
      public JoinResult join(JoinRequest request) {
        return JoinResult.ok();
      }

      @Override
      public void afterJoin(ServerChannel channel) {
        joined.add(channel);
      }

      @Override
      public HandleResult handleIn(io.phoenixchannels.testserver.InboundEvent event) {
        return HandleResult.ok();
      }
    };
    try (PhoenixTestServer server = PhoenixTestServer.builder().channel("room:*", () -> stoppable).start()) {
      PhxRunner listening = PhxRunner.start("listen", server.url(), "room:doomed");
      await().atMost(Duration.ofSeconds(10)).until(() -> !joined.isEmpty());
      joined.get(0).stop();
      PhxRunner.Result result = listening.await(PhxRunner.DEADLINE);
      result.assertOneErrorLine(ExitCode.ERROR, "the server closed room:doomed");
      assertThat(result.out()).contains("channel  room:doomed closed");
    }
  }

  @Test
  void aRefusedJoinExitsTwo() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      PhxRunner.run("listen", server.url(), "room:private")
          .assertOneErrorLine(ExitCode.UNAVAILABLE, "the server refused to join room:private");
    }
  }
}
