package io.phoenixchannels.testserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Joins, replies, pushes, broadcasts, stops, crashes, leaves: the frames Phoenix sends for each, exactly. */
class ChannelProtocolTest {
  private static final Map<String, Object> NO_PRESENCE = Map.of("presence", false);

  @Nested
  class Routing {
    @Test
    void routesStarPatternsByPrefixAndOtherPatternsExactly() throws Exception {
      ChannelHandler accept = new ChannelHandler() {
        @Override
        public JoinResult join(JoinRequest join) {
          return JoinResult.ok(Map.of("topic", join.topic()));
        }
      };
      try (PhoenixTestServer server = PhoenixTestServer.builder().channel("room:*", () -> accept)
          .channel("lobby", () -> accept).start();
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        assertThat(client.join("1", "room:42", Map.of()).get(4).get("status").asText()).isEqualTo("ok");
        assertThat(client.join("2", "lobby", Map.of()).get(4).get("status").asText()).isEqualTo("ok");
        client.join("3", "lobby:x", Map.of());
      }
    }

    @Test
    void answersUnmatchedTopicsWithANullJoinRef() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.send("1", "1", "nowhere:1", "phx_join", Map.of());
        client.expect("[null,'1','nowhere:1','phx_reply',{'response':{'reason':'unmatched topic'},'status':'error'}]");
        client.send("2", "2", "room:not_joined", "echo", Map.of());
        client.expect("[null,'2','room:not_joined','phx_reply',{'response':{'reason':'unmatched topic'},"
            + "'status':'error'}]");
      }
    }
  }

  @Nested
  class Joins {
    @Test
    void refusedAndCrashingJoinsGetErrorReplies() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.send("1", "1", "room:private", "phx_join", Map.of());
        client.expect("['1','1','room:private','phx_reply',{'response':{'reason':'unauthorized'},'status':'error'}]");
        client.send("2", "2", "room:crash_on_join", "phx_join", Map.of());
        client.expect("['2','2','room:crash_on_join','phx_reply',{'response':{'reason':'join crashed'},"
            + "'status':'error'}]");
        client.send("3", "3", "room:after", "phx_join", NO_PRESENCE);
        client.expect("['3','3','room:after','phx_reply',{'response':{'joined':'room:after','params':"
            + "{'presence':false}},'status':'ok'}]");
      }
    }

    @Test
    void aDuplicateJoinAnswersTheNewJoinThenClosesTheOldOne() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.join("1", "room:dup", NO_PRESENCE);
        client.send("5", "5", "room:dup", "phx_join", NO_PRESENCE);
        client.expect("['5','5','room:dup','phx_reply',{'response':{'joined':'room:dup','params':{'presence':false}},"
            + "'status':'ok'}]");
        client.expect("['1','1','room:dup','phx_close',{}]");
        client.send("5", "6", "room:dup", "echo", Map.of("still", "joined"));
        client.expect("['5','6','room:dup','phx_reply',{'response':{'still':'joined'},'status':'ok'}]");
      }
    }

    @Test
    void refusesJoinsBeyondTheChannelLimit() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder().maxChannelsPerSocket(1))
          .start();
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.join("1", "room:one", NO_PRESENCE);
        client.send("2", "2", "room:two", "phx_join", NO_PRESENCE);
        client.expect("['2','2','room:two','phx_reply',{'response':{'reason':'max channels per socket'},"
            + "'status':'error'}]");
        client.send("1", "3", "room:one", "phx_leave", Map.of());
        client.expect("['1','3','room:one','phx_reply',{'response':{},'status':'ok'}]");
        client.expect("['1','1','room:one','phx_close',{}]");
        assertThat(client.join("4", "room:two", NO_PRESENCE).get(4).get("status").asText()).isEqualTo("ok");
      }
    }
  }

  @Nested
  class Events {
    @Test
    void repliesOkErrorOrNothing() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.join("1", "room:r", NO_PRESENCE);
        client.send("1", "2", "room:r", "echo", Map.of("a", List.of(1, "b")));
        client.expect("['1','2','room:r','phx_reply',{'response':{'a':[1,'b']},'status':'ok'}]");
        client.send("1", "3", "room:r", "error_reply", Map.of());
        client.expect("['1','3','room:r','phx_reply',{'response':{'reason':'bad'},'status':'error'}]");
        client.send("1", "4", "room:r", "noreply", Map.of());
        client.expectNothingMore();
      }
    }

    @Test
    void aDeferredReplyComesLaterAndOthersOvertakeIt() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.join("1", "room:r", NO_PRESENCE);
        client.send("1", "2", "room:r", "slow", Map.of("ms", 150));
        client.send("1", "3", "room:r", "echo", Map.of());
        client.expect("['1','3','room:r','phx_reply',{'response':{},'status':'ok'}]");
        client.expect("['1','2','room:r','phx_reply',{'response':{'ms':150},'status':'ok'}]");
      }
    }

    @Test
    void pushesGoBeforeTheReplyAndBroadcastsReachTheMembersAsPhoenixSendsThem() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient a = WireClient.connect(server, "vsn=2.0.0");
          WireClient b = WireClient.connect(server, "vsn=2.0.0")) {
        a.join("1", "room:b", NO_PRESENCE);
        b.join("7", "room:b", NO_PRESENCE);
        a.send("1", "2", "room:b", "push_many", Map.of("n", 2));
        a.expect("['1',null,'room:b','item',{'i':1}]");
        a.expect("['1',null,'room:b','item',{'i':2}]");
        a.expect("['1','2','room:b','phx_reply',{'response':{'n':2},'status':'ok'}]");
        a.send("1", "3", "room:b", "broadcast", Map.of("x", 1));
        a.expect("[null,null,'room:b','broadcasted',{'x':1}]");
        a.expect("['1','3','room:b','phx_reply',{'response':{},'status':'ok'}]");
        b.expect("[null,null,'room:b','broadcasted',{'x':1}]");
        a.send("1", "4", "room:b", "broadcast_from", Map.of("x", 2));
        a.expect("['1','4','room:b','phx_reply',{'response':{},'status':'ok'}]");
        b.expect("[null,null,'room:b','broadcasted',{'x':2}]");
        server.broadcast("room:b", "from_server", Map.of("y", 3));
        a.expect("[null,null,'room:b','from_server',{'y':3}]");
        b.expect("[null,null,'room:b','from_server',{'y':3}]");
        a.expectNothingMore();
      }
    }

    @Test
    void stopClosesTheChannelWithOrWithoutAReply() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.join("1", "room:s", NO_PRESENCE);
        client.send("1", "2", "room:s", "stop", Map.of());
        client.expect("['1','1','room:s','phx_close',{}]");
        client.send("1", "3", "room:s", "echo", Map.of());
        client.expect("[null,'3','room:s','phx_reply',{'response':{'reason':'unmatched topic'},'status':'error'}]");
        client.join("4", "room:s", NO_PRESENCE);
        client.send("4", "5", "room:s", "kick", Map.of());
        client.expect("['4','5','room:s','phx_reply',{'response':{'kicked':true},'status':'ok'}]");
        client.expect("['4','4','room:s','phx_close',{}]");
      }
    }

    @Test
    void aCrashSendsPhxErrorAndPushesInFlightAreNeverAnswered() throws Exception {
      LinkedBlockingQueue<DeferredReply> inFlight = new LinkedBlockingQueue<>();
      try (PhoenixTestServer server = PhoenixTestServer.builder().channel("room:*", () -> new ChannelHandler() {
        @Override
        public JoinResult join(JoinRequest join) {
          return JoinResult.ok();
        }

        @Override
        public HandleResult handleIn(InboundEvent event) {
          if (event.event().equals("crash")) {
            throw new IllegalStateException("crash on purpose");
          }
          inFlight.add(event.deferReply());
          return HandleResult.noReply();
        }
      }).start();
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.join("1", "room:c", Map.of());
        client.send("1", "2", "room:c", "work", Map.of());
        DeferredReply pending = inFlight.poll(5, TimeUnit.SECONDS);
        client.send("1", "3", "room:c", "crash", Map.of());
        client.expect("['1','1','room:c','phx_error',{'reason':'channel_crash'}]");
        pending.ok(Map.of("too", "late"));
        client.expectNothingMore();
      }
    }

    @Test
    void phoenix17SendsAnEmptyPhxErrorPayload() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_7);
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.join("1", "room:c", NO_PRESENCE);
        client.send("1", "2", "room:c", "crash", Map.of());
        client.expect("['1','1','room:c','phx_error',{}]");
      }
    }
  }

  @Nested
  class Leaves {
    @Test
    void aLeaveIsAnsweredOkThenClosedAndALeaveOfNothingIsAnsweredOk() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.join("1", "room:l", NO_PRESENCE);
        client.send("1", "2", "room:l", "phx_leave", Map.of());
        client.expect("['1','2','room:l','phx_reply',{'response':{},'status':'ok'}]");
        client.expect("['1','1','room:l','phx_close',{}]");
        client.send("9", "3", "room:never", "phx_leave", Map.of());
        client.expect("['9','3','room:never','phx_reply',{'response':{},'status':'ok'}]");
      }
    }

    @Test
    void aNullJoinRefLeaveLeavesOn18AndIsIgnoredOn17() throws Exception {
      try (PhoenixTestServer v18 = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          PhoenixTestServer v17 = ReferenceApp.start(PhoenixVersion.PHOENIX_1_7);
          WireClient c18 = WireClient.connect(v18, "vsn=2.0.0");
          WireClient c17 = WireClient.connect(v17, "vsn=2.0.0")) {
        c18.join("1", "room:n", NO_PRESENCE);
        c18.send(null, "2", "room:n", "phx_leave", Map.of());
        c18.expect("['1','2','room:n','phx_reply',{'response':{},'status':'ok'}]");
        c18.expect("['1','1','room:n','phx_close',{}]");
        c17.join("1", "room:n", NO_PRESENCE);
        c17.send(null, "2", "room:n", "phx_leave", Map.of());
        c17.expectNothingMore();
      }
    }

    @Test
    void aPushWithAStaleJoinRefIsDroppedOn18AndAnsweredOn17() throws Exception {
      try (PhoenixTestServer v18 = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          PhoenixTestServer v17 = ReferenceApp.start(PhoenixVersion.PHOENIX_1_7);
          WireClient c18 = WireClient.connect(v18, "vsn=2.0.0");
          WireClient c17 = WireClient.connect(v17, "vsn=2.0.0")) {
        c18.join("3", "room:stale", NO_PRESENCE);
        c18.send("1", "4", "room:stale", "echo", Map.of());
        c18.expectNothingMore();
        c17.join("3", "room:stale", NO_PRESENCE);
        c17.send("1", "4", "room:stale", "echo", Map.of());
        c17.expect("['3','4','room:stale','phx_reply',{'response':{},'status':'ok'}]");
      }
    }
  }

  @Nested
  class HandlerApi {
    @Test
    void runsAfterJoinAfterTheReplyAndTerminateWithWhy() throws Exception {
      List<String> terminated = new CopyOnWriteArrayList<>();
      try (PhoenixTestServer server = PhoenixTestServer.builder()
          .connectHandler(request -> ConnectDecision.accept("s:1", Map.of("user", "ada")))
          .channel("t:*", () -> new ChannelHandler() {
            @Override
            public JoinResult join(JoinRequest join) {
              return JoinResult.ok(Map.of("user", join.connection().assigns().get("user")));
            }

            @Override
            public void afterJoin(ServerChannel channel) {
              channel.push("welcome", Map.of("join_ref", channel.joinRef()));
              channel.schedule(Duration.ofMillis(20), () -> channel.push("later", Map.of()));
            }

            @Override
            public HandleResult handleIn(InboundEvent event) {
              event.channel().stop();
              return HandleResult.noReply();
            }

            @Override
            public void terminate(ServerChannel channel, String reason) {
              terminated.add(channel.topic() + " " + reason);
            }
          }).start();
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.send("1", "1", "t:a", "phx_join", Map.of());
        client.expect("['1','1','t:a','phx_reply',{'response':{'user':'ada'},'status':'ok'}]");
        client.expect("['1',null,'t:a','welcome',{'join_ref':'1'}]");
        client.expect("['1',null,'t:a','later',{}]");
        client.send("1", "2", "t:a", "bye", Map.of());
        client.expect("['1','1','t:a','phx_close',{}]");
        client.join("3", "t:b", Map.of());
        client.next(); // welcome
        client.send("3", "4", "t:b", "phx_leave", Map.of());
        client.next(); // the leave's ok
        client.next(); // phx_close
        client.expectNothingMore();
        assertThat(terminated).containsExactly("t:a stopped", "t:b left");
      }
    }
  }

  @Nested
  class Presence {
    @Test
    void tracksUpdatesAndForgetsAsPhoenixDoes() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient ivy = WireClient.connect(server, "user_id=ivy&vsn=2.0.0");
          WireClient jon = WireClient.connect(server, "user_id=jon&vsn=2.0.0")) {
        ivy.join("1", "room:p", Map.of("name", "Ivy"));
        JsonNode ivyJoin = ivy.next();
        assertThat(ivyJoin.get(3).asText()).isEqualTo("presence_diff");
        JsonNode ivyMeta = ivyJoin.get(4).get("joins").get("ivy").get("metas").get(0);
        assertThat(ivyMeta.get("phx_ref").asText()).hasSize(16);
        JsonNode state = ivy.next();
        assertThat(state.get(3).asText()).isEqualTo("presence_state");
        assertThat(state.get(0).asText()).isEqualTo("1");
        assertThat(state.get(4).get("ivy").get("metas").get(0)).isEqualTo(ivyMeta);

        jon.join("1", "room:p", Map.of("name", "Jon"));
        JsonNode jonJoin = ivy.next();
        JsonNode jonMeta = jonJoin.get(4).get("joins").get("jon").get("metas").get(0);
        jon.next(); // jon's own diff
        assertThat(jon.next().get(4).fieldNames()).toIterable().containsExactlyInAnyOrder("ivy", "jon");

        jon.send("1", "2", "room:p", "update_presence", Map.of("status", "away"));
        jon.expect("['1','2','room:p','phx_reply',{'response':{},'status':'ok'}]");
        JsonNode update = ivy.next().get(4);
        JsonNode updated = update.get("joins").get("jon").get("metas").get(0);
        assertThat(updated.get("phx_ref_prev")).isEqualTo(jonMeta.get("phx_ref"));
        assertThat(updated.get("status").asText()).isEqualTo("away");
        assertThat(update.get("leaves").get("jon").get("metas").get(0)).isEqualTo(jonMeta);
        assertThat(server.presenceList("room:p").get("jon").get("metas").get(0)).isEqualTo(updated);

        jon.raw().close(); // a disconnect is a leave too
        JsonNode leave = ivy.next();
        assertThat(leave.get(3).asText()).isEqualTo("presence_diff");
        assertThat(leave.get(4).get("leaves").get("jon").get("metas").get(0)).isEqualTo(updated);
        assertThat(server.presenceList("room:p").fieldNames()).toIterable().containsExactly("ivy");
      }
    }
  }

  @Nested
  class Binary {
    @Test
    void echoesPushesAndBroadcastsBinaryFramesInPhoenixLayouts() throws Exception {
      try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
          WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
        client.join("1", "room:bin", NO_PRESENCE);
        // kind 0, join_ref "1", ref "2", topic "room:bin", event "binary_echo", payload 01 02
        client.raw().sendBinary(concat(new byte[] {0, 1, 1, 8, 11}, "12room:binbinary_echo".getBytes(), new byte[] {1,
            2}));
        assertThat(client.raw().take(WireClient.WAIT).data())
            .isEqualTo(concat(new byte[] {1, 1, 1, 8, 2}, "12room:binok".getBytes(), new byte[] {1, 2}));
        client.send("1", "3", "room:bin", "binary_push", Map.of("size", 3));
        assertThat(client.raw().take(WireClient.WAIT).data())
            .isEqualTo(concat(new byte[] {0, 1, 8, 11}, "1room:binbinary_item".getBytes(), new byte[] {0, 1, 2}));
        client.expect("['1','3','room:bin','phx_reply',{'response':{'pushed':3},'status':'ok'}]");
        client.send("1", "4", "room:bin", "binary_broadcast", Map.of("size", 2));
        assertThat(client.raw().take(WireClient.WAIT).data())
            .isEqualTo(concat(new byte[] {2, 8, 12}, "room:binbinary_bcast".getBytes(), new byte[] {-1, -2}));
      }
    }
  }

  static byte[] concat(byte[]... parts) {
    int size = 0;
    for (byte[] part : parts) {
      size += part.length;
    }
    byte[] out = new byte[size];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }
}
