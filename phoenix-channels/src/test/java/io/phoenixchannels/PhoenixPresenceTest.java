package io.phoenixchannels;

import static io.phoenixchannels.PresenceJson.diff;
import static io.phoenixchannels.PresenceJson.diffPayload;
import static io.phoenixchannels.PresenceJson.joins;
import static io.phoenixchannels.PresenceJson.leaves;
import static io.phoenixchannels.PresenceJson.meta;
import static io.phoenixchannels.PresenceJson.presence;
import static io.phoenixchannels.PresenceJson.state;
import static io.phoenixchannels.PresenceJson.statePayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A {@link PhoenixPresence} fed by its channel, with the server played over a fake transport. */
class PhoenixPresenceTest {
  private final ChannelHarness server = new ChannelHarness();
  private final PhoenixPresence presence = new PhoenixPresence(server.channel);
  private final PresenceRecorder recorder = new PresenceRecorder(presence);

  @Nested
  class SyncingFromTheChannel {
    @Test
    void syncsStateAndDiffsFromTheChannel() {
      server.connectAndJoin();

      server.pushState(statePayload(presence("ivy", meta("r1", "Ivy"))));
      assertThat(recorder.take()).containsExactly("join ivy [r1] was []", "sync [ivy]");

      server.broadcastDiff(diffPayload(joins(presence("jon", meta("r2", "Jon")))));
      assertThat(recorder.take()).containsExactly("join jon [r2] was []", "sync [ivy, jon]");

      server.broadcastDiff(diffPayload(leaves(presence("jon", meta("r2", "Jon")))));
      assertThat(recorder.take()).containsExactly("leave jon [r2] now []", "sync [ivy]");
      assertThat(presence.list()).containsExactly(presence("ivy", meta("r1", "Ivy")));
      assertThat(presence.inPendingSyncState()).isFalse();
    }

    @Test
    void holdsDiffsThatArriveBeforeTheStateAndAppliesThemAfterIt() {
      server.connectAndJoin();

      // Phoenix sends the diff of this client's own join before the state, then maybe others.
      server.broadcastDiff(diffPayload(joins(presence("ivy", meta("r1", "Ivy")))));
      server.broadcastDiff(diffPayload(joins(presence("jon", meta("r2", "Jon")))));
      assertThat(recorder.take()).isEmpty();
      assertThat(presence.list()).isEmpty();
      assertThat(presence.inPendingSyncState()).isTrue();

      server.pushState(statePayload(presence("ivy", meta("r1", "Ivy"))));
      assertThat(recorder.take()).containsExactly("join ivy [r1] was []", "join jon [r2] was []",
          "sync [ivy, jon]");
      assertThat(presence.inPendingSyncState()).isFalse();
    }

    @Test
    void holdsDiffsAgainAfterAReconnectAndRejoinAndAppliesThemAfterTheNewState() {
      server.connectAndJoin();
      server.pushState(statePayload(presence("ivy", meta("r1", "Ivy"))));
      recorder.take();

      server.dropConnection();
      server.reconnectAndRejoin();
      assertThat(presence.inPendingSyncState()).isTrue();
      server.broadcastDiff(diffPayload(joins(presence("ivy", meta("r3", "Ivy")))));
      server.broadcastDiff(diffPayload(joins(presence("kim", meta("r4", "Kim")))));
      assertThat(recorder.take()).isEmpty();

      server.pushState(statePayload(presence("ivy", meta("r3", "Ivy"))));
      assertThat(recorder.take()).as("the state and its held diffs are reported as one change").containsExactly(
          "join ivy [r3] was [r1]", "join kim [r4] was []", "leave ivy [r1] now [r3]", "sync [ivy, kim]");
      assertThat(presence.inPendingSyncState()).isFalse();
    }

    @Test
    void dropsDiffsHeldForAnEarlierJoinWhoseStateNeverCame() {
      server.connectAndJoin();
      server.pushState(statePayload(presence("ivy", meta("r1", "Ivy"))));
      server.dropConnection();
      server.reconnectAndRejoin();
      // Held for the second join; the connection drops before its state, and "ghost" leaves meanwhile.
      server.broadcastDiff(diffPayload(joins(presence("ghost", meta("g1")))));
      server.dropConnection();
      server.reconnectAndRejoin();
      recorder.take();

      server.pushState(statePayload(presence("ivy", meta("r5", "Ivy"))));

      assertThat(recorder.take()).containsExactly("join ivy [r5] was [r1]", "leave ivy [r1] now [r5]",
          "sync [ivy]");
    }

    @Test
    void dropsDiffsHeldForAJoinThatTimedOut() {
      server.channel.join();
      server.socket.connect();
      server.fake.last().open();
      server.broadcastDiff(diffPayload(joins(presence("ghost", meta("g1")))));

      server.loop.advance(Duration.ofSeconds(10)); // the join times out
      server.loop.advance(Duration.ofSeconds(1)); // and is sent again
      server.replyToJoin();
      server.pushState(statePayload(presence("ivy", meta("r1", "Ivy"))));

      assertThat(recorder.take()).containsExactly("join ivy [r1] was []", "sync [ivy]");
    }

    @Test
    void followsCustomEventNames() {
      PhoenixPresence roster = new PhoenixPresence(server.channel, "roster", "roster_changes");
      PresenceRecorder rosterEvents = new PresenceRecorder(roster);
      server.connectAndJoin();

      server.push("roster", statePayload(presence("ivy", meta("r1"))));
      server.broadcast("roster_changes", diffPayload(joins(presence("jon", meta("r2")))));
      server.pushState(statePayload(presence("someone_else", meta("x"))));

      assertThat(rosterEvents.take()).containsExactly("join ivy [r1] was []", "sync [ivy]",
          "join jon [r2] was []", "sync [ivy, jon]");
      assertThat(roster.list()).extracting(Presence::key).containsExactly("ivy", "jon");
    }

    @Test
    void refusesTheSameEventForStateAndDiff() {
      assertThatThrownBy(() -> new PhoenixPresence(server.channel, "roster", "roster"))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appliesAMetaUpdateArrivingAsLeavePlusJoinToTheExistingMeta() {
      server.connectAndJoin();
      server.pushState(statePayload(presence("jon", meta("r1", "Jon"))));
      recorder.take();
      ObjectNode away = meta("r2", "Jon").put("phx_ref_prev", "r1").put("status", "away");

      server.broadcastDiff(diffPayload(diff(state(presence("jon", away)), state(presence("jon", meta("r1", "Jon"))))));

      assertThat(recorder.take()).containsExactly("join jon [r2] was [r1]", "leave jon [r1] now [r2]",
          "sync [jon]");
      assertThat(presence.get("jon").orElseThrow().metas()).containsExactly(away);
    }

    @Test
    void syncsWithTheV1SerializerWhoseStateCarriesNoJoinRef() {
      ChannelHarness v1 = new ChannelHarness("1.0.0");
      PhoenixPresence v1Presence = new PhoenixPresence(v1.channel);
      PresenceRecorder v1Events = new PresenceRecorder(v1Presence);
      v1.connectAndJoin();

      v1.broadcastDiff(diffPayload(joins(presence("rita", meta("r1", "Rita")))));
      assertThat(v1Events.take()).isEmpty();
      v1.pushState(statePayload(presence("rita", meta("r1", "Rita"))));
      assertThat(v1Events.take()).containsExactly("join rita [r1] was []", "sync [rita]");
      v1.broadcastDiff(diffPayload(joins(presence("sam", meta("r2", "Sam")))));
      assertThat(v1Events.take()).containsExactly("join sam [r2] was []", "sync [rita, sam]");
    }
  }

  @Nested
  class Disconnects {
    @Test
    void keepsTheLastListReadableAndMarksItStaleInsteadOfReportingLeaves() {
      server.connectAndJoin();
      server.pushState(statePayload(presence("ivy", meta("r1")), presence("jon", meta("r2"))));
      recorder.take();
      assertThat(presence.isStale()).isFalse();

      server.dropConnection();

      assertThat(recorder.take()).isEmpty();
      assertThat(presence.list()).extracting(Presence::key).containsExactly("ivy", "jon");
      assertThat(presence.isStale()).isTrue();
    }

    @Test
    void reconcilesWithTheNextStateReportingOnlyWhatChanged() {
      server.connectAndJoin();
      server.pushState(statePayload(presence("ivy", meta("r1")), presence("jon", meta("r2")),
          presence("kim", meta("r3"))));
      server.dropConnection();
      server.reconnectAndRejoin();
      recorder.take();
      assertThat(presence.isStale()).isTrue();

      // Meanwhile ivy (this client) rejoined with a new meta, kim left and lee came; jon stayed.
      server.pushState(statePayload(presence("ivy", meta("r1b")), presence("jon", meta("r2")),
          presence("lee", meta("r4"))));

      assertThat(recorder.take()).containsExactly(
          "join ivy [r1b] was [r1]",
          "join lee [r4] was []",
          "leave ivy [r1] now [r1b]",
          "leave kim [r3] now []",
          "sync [ivy, jon, lee]");
      assertThat(presence.isStale()).isFalse();
    }

    @Test
    void marksTheListStaleFromAChannelCrashUntilTheRejoinsState() {
      server.connectAndJoin();
      server.pushState(statePayload(presence("ivy", meta("r1"))));
      recorder.take();

      server.crashChannel();
      assertThat(presence.isStale()).isTrue();
      server.loop.advance(Duration.ofSeconds(1)); // the rejoin
      server.replyToJoin();
      assertThat(presence.isStale()).as("joined again, but the new state has not come").isTrue();
      assertThat(recorder.take()).isEmpty();

      server.pushState(statePayload(presence("ivy", meta("r2"))));
      assertThat(presence.isStale()).isFalse();
      assertThat(recorder.take()).containsExactly("join ivy [r2] was [r1]", "leave ivy [r1] now [r2]",
          "sync [ivy]");
    }

    @Test
    void marksTheListStaleOnceTheChannelIsLeft() {
      server.connectAndJoin();
      server.pushState(statePayload(presence("ivy", meta("r1"))));

      server.channel.leave();

      assertThat(presence.isStale()).isTrue();
      assertThat(presence.list()).extracting(Presence::key).containsExactly("ivy");
    }

    @Test
    void isNotStaleBeforeTheFirstStateButPending() {
      assertThat(presence.isStale()).isFalse();
      assertThat(presence.inPendingSyncState()).isTrue();

      server.connectAndJoin();

      assertThat(presence.isStale()).isFalse();
      assertThat(presence.inPendingSyncState()).isTrue();
    }
  }

  @Nested
  class Threading {
    private final ArrayDeque<Runnable> callbackQueue = new ArrayDeque<>();
    private final ChannelHarness queued = new ChannelHarness("2.0.0", builder -> builder.callbackExecutor(
        callbackQueue::add));
    private final PhoenixPresence queuedPresence = new PhoenixPresence(queued.channel);
    private final PresenceRecorder queuedEvents = new PresenceRecorder(queuedPresence);

    private void runQueuedCallbacks() {
      while (!callbackQueue.isEmpty()) {
        callbackQueue.poll().run();
      }
    }

    @Test
    void runsCallbacksOnTheCallbackExecutorInOrder() {
      List<Boolean> onLoop = new ArrayList<>();
      queuedPresence.onSync(() -> onLoop.add(queued.loop.inEventLoop()));
      queued.connectAndJoin();
      queued.pushState(statePayload(presence("ivy", meta("r1"))));
      queued.broadcastDiff(diffPayload(joins(presence("jon", meta("r2")))));
      assertThat(queuedEvents.take()).as("nothing runs before the executor does").isEmpty();

      runQueuedCallbacks();

      assertThat(queuedEvents.take()).containsExactly("join ivy [r1] was []", "sync [ivy]",
          "join jon [r2] was []", "sync [ivy, jon]");
      assertThat(onLoop).containsExactly(false, false);
    }

    @Test
    void listInsideOnSyncIsTheListThatSyncProduced() {
      List<List<String>> seen = new ArrayList<>();
      queuedPresence.onSync(() -> seen.add(queuedPresence.list(Presence::key)));
      queued.connectAndJoin();
      queued.pushState(statePayload(presence("ivy", meta("r1"))));
      queued.broadcastDiff(diffPayload(joins(presence("jon", meta("r2")))));
      queued.broadcastDiff(diffPayload(leaves(presence("ivy", meta("r1")))));
      assertThat(queuedPresence.list()).as("published with the callbacks, not before").isEmpty();

      runQueuedCallbacks();

      assertThat(seen).containsExactly(List.of("ivy"), List.of("ivy", "jon"), List.of("jon"));
      assertThat(queuedPresence.list(Presence::key)).containsExactly("jon");
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthers() {
      PhoenixPresence withFaultyListener = new PhoenixPresence(server.channel);
      withFaultyListener.onJoin((key, current, joined) -> {
        throw new IllegalStateException("a faulty listener");
      });
      PresenceRecorder after = new PresenceRecorder(withFaultyListener);
      server.connectAndJoin();

      server.pushState(statePayload(presence("ivy", meta("r1")), presence("jon", meta("r2"))));

      assertThat(after.take()).containsExactly("join ivy [r1] was []", "join jon [r2] was []", "sync [ivy, jon]");
    }

    @Test
    void closingASubscriptionStopsItsCallbacks() {
      AtomicInteger syncs = new AtomicInteger();
      Subscription subscription = presence.onSync(syncs::incrementAndGet);
      server.connectAndJoin();
      server.pushState(statePayload(presence("ivy", meta("r1"))));

      subscription.close();
      server.broadcastDiff(diffPayload(joins(presence("jon", meta("r2")))));

      assertThat(syncs).hasValue(1);
    }
  }

  @Nested
  class Queries {
    record Member(String name, @JsonProperty("phx_ref") String phxRef) {}

    record Score(int points) {}

    record Nick(String displayName) {}

    @Test
    void readsTheMetasOfAKeyAsTheCallersType() {
      server.connectAndJoin();
      server.pushState(statePayload(presence("ivy", meta("r1", "Ivy").put("online_at", 1795834901318L),
          meta("r2", "Ivy on the phone"))));

      assertThat(presence.metas("ivy", Member.class)).containsExactly(new Member("Ivy", "r1"),
          new Member("Ivy on the phone", "r2"));
    }

    @Test
    void readsMetasWithTheSocketsObjectMapper() {
      ObjectMapper snakeCase = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
      ChannelHarness custom = new ChannelHarness("2.0.0", builder -> builder.objectMapper(snakeCase));
      PhoenixPresence customPresence = new PhoenixPresence(custom.channel);
      custom.connectAndJoin();

      custom.pushState(statePayload(presence("ivy", meta("r1").put("display_name", "Ivy"))));

      assertThat(customPresence.metas("ivy", Nick.class)).containsExactly(new Nick("Ivy"));
    }

    @Test
    void refusesAMetaThatDoesNotFitTheType() {
      server.connectAndJoin();
      server.pushState(statePayload(presence("ivy", meta("r1").put("points", "many"))));

      assertThatThrownBy(() -> presence.metas("ivy", Score.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'ivy'").hasMessageContaining(Score.class.getName());
    }

    @Test
    void hasNoMetasAndNoPresenceForAnAbsentKey() {
      server.connectAndJoin();
      server.pushState(statePayload(presence("ivy", meta("r1"))));

      assertThat(presence.metas("nobody", Member.class)).isEmpty();
      assertThat(presence.get("nobody")).isEqualTo(Optional.empty());
      assertThat(presence.get("ivy")).contains(presence("ivy", meta("r1")));
    }
  }

  @Nested
  class MalformedPayloads {
    private final List<PhoenixException> errors = new ArrayList<>();

    @Test
    void reportsAMalformedStateToTheSocketsErrorListenersAndKeepsTheList() {
      server.socket.onError(errors::add);
      server.connectAndJoin();
      server.pushState(statePayload(presence("ivy", meta("r1"))));
      recorder.take();

      ObjectNode noMetas = JsonNodeFactory.instance.objectNode();
      noMetas.putObject("jon").put("name", "Jon");
      server.pushState(noMetas);

      assertThat(errors).singleElement().isInstanceOf(ProtocolException.class)
          .extracting(Throwable::getMessage).asString().contains("presence_state").contains("'jon'");
      assertThat(recorder.take()).isEmpty();
      assertThat(presence.list()).extracting(Presence::key).containsExactly("ivy");
    }

    @Test
    void reportsAMalformedDiffAndCarriesOn() {
      server.socket.onError(errors::add);
      server.connectAndJoin();
      server.pushState(statePayload(presence("ivy", meta("r1"))));
      recorder.take();

      ObjectNode badJoins = JsonNodeFactory.instance.objectNode().put("joins", "everyone");
      server.broadcastDiff(badJoins);
      server.broadcastDiff(diffPayload(joins(presence("jon", meta("r2")))));

      assertThat(errors).singleElement().isInstanceOf(ProtocolException.class);
      assertThat(recorder.take()).containsExactly("join jon [r2] was []", "sync [ivy, jon]");
    }
  }
}
