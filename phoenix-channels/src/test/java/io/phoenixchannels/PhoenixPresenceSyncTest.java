package io.phoenixchannels;

import static io.phoenixchannels.PresenceJson.diff;
import static io.phoenixchannels.PresenceJson.joins;
import static io.phoenixchannels.PresenceJson.leaves;
import static io.phoenixchannels.PresenceJson.meta;
import static io.phoenixchannels.PresenceJson.presence;
import static io.phoenixchannels.PresenceJson.refs;
import static io.phoenixchannels.PresenceJson.state;
import static io.phoenixchannels.PresenceJson.statePayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The pure functions: {@code syncState}, {@code syncDiff}, {@code list}, and the payload readers. */
class PhoenixPresenceSyncTest {
  private final List<String> events = new ArrayList<>();
  private final PresenceJoinListener onJoin = (key, current, joined) ->
      events.add("join " + key + " " + refs(joined) + " was " + refs(current));
  private final PresenceLeaveListener onLeave = (key, current, left) ->
      events.add("leave " + key + " " + refs(left) + " now " + refs(current));

  /** phoenix.js's fixture: three users with one meta each. */
  private static Map<String, Presence> threeUsers() {
    return state(presence("u1", meta("1")), presence("u2", meta("2")), presence("u3", meta("3")));
  }

  @Nested
  class SyncState {
    @Test
    void syncsFromAnEmptyState() {
      Map<String, Presence> empty = new HashMap<>();
      Map<String, Presence> newState = state(presence("u1", meta("1")));

      Map<String, Presence> synced = PhoenixPresence.syncState(empty, newState, null, null);

      assertThat(synced).isEqualTo(newState);
      assertThat(empty).as("the given state is not changed").isEmpty();
    }

    @Test
    void firesJoinForNewPresencesAndLeaveForGoneOnes() {
      Map<String, Presence> synced = PhoenixPresence.syncState(state(presence("u4", meta("4"))), threeUsers(),
          onJoin, onLeave);

      assertThat(synced).isEqualTo(threeUsers());
      assertThat(events).containsExactly(
          "join u1 [1] was []",
          "join u2 [2] was []",
          "join u3 [3] was []",
          "leave u4 [4] now []");
    }

    @Test
    void firesJoinOnlyForNewlyAddedMetas() {
      Map<String, Presence> newState = state(presence("u3", meta("3"), meta("3.new")));

      Map<String, Presence> synced = PhoenixPresence.syncState(state(presence("u3", meta("3"))), newState, onJoin,
          onLeave);

      assertThat(synced).isEqualTo(newState);
      assertThat(events).containsExactly("join u3 [3.new] was [3]");
    }

    @Test
    void firesLeaveForTheMetasGoneFromAKeyThatStays() {
      PhoenixPresence.syncState(state(presence("u1", meta("1"), meta("2"))), state(presence("u1", meta("2"))),
          onJoin, onLeave);

      assertThat(events).containsExactly("leave u1 [1] now [2]");
    }

    @Test
    void reportsOnlyWhatChangedWhenReconcilingAnOlderList() {
      Map<String, Presence> before = state(presence("a", meta("1")), presence("b", meta("2")));
      Map<String, Presence> after = state(presence("a", meta("1")), presence("c", meta("3")));

      PhoenixPresence.syncState(before, after, onJoin, onLeave);

      assertThat(events).containsExactly("join c [3] was []", "leave b [2] now []");
    }

    @Test
    void reportsAMetaWhoseContentChangedUnderTheSamePhxRefAsJoined() {
      Map<String, Presence> synced = PhoenixPresence.syncState(state(presence("u1", meta("1", "Old"))),
          state(presence("u1", meta("1", "New"))), onJoin, onLeave);

      assertThat(synced.get("u1").metas()).containsExactly(meta("1", "New"));
      assertThat(events).containsExactly("join u1 [1] was [1]");
    }

    @Test
    void returnsTheNewListInTheServersOrder() {
      Map<String, Presence> before = state(presence("b", meta("2")), presence("a", meta("1")));
      Map<String, Presence> after = state(presence("a", meta("1")), presence("b", meta("2")));

      assertThat(PhoenixPresence.syncState(before, after, null, null).keySet()).containsExactly("a", "b");
    }
  }

  @Nested
  class SyncDiff {
    @Test
    void syncsFromAnEmptyState() {
      Map<String, Presence> empty = new HashMap<>();

      Map<String, Presence> synced = PhoenixPresence.syncDiff(empty, joins(presence("u1", meta("1"))), null, null);

      assertThat(synced).isEqualTo(state(presence("u1", meta("1"))));
      assertThat(empty).as("the given state is not changed").isEmpty();
    }

    @Test
    void removesAPresenceWhenItsMetasBecomeEmpty() {
      Map<String, Presence> synced = PhoenixPresence.syncDiff(threeUsers(), leaves(presence("u2", meta("2"))),
          onJoin, onLeave);

      assertThat(synced).doesNotContainKey("u2").containsKeys("u1", "u3");
      assertThat(events).containsExactly("leave u2 [2] now []");
    }

    @Test
    void addsExtraMetas() {
      PresenceDiff diff = diff(state(presence("u1", meta("1.2"))), state(presence("u2", meta("2"))));

      Map<String, Presence> synced = PhoenixPresence.syncDiff(threeUsers(), diff, onJoin, onLeave);

      assertThat(synced).isEqualTo(state(presence("u1", meta("1"), meta("1.2")), presence("u3", meta("3"))));
      assertThat(events).containsExactly("join u1 [1.2] was [1]", "leave u2 [2] now []");
    }

    @Test
    void removesOneMetaButKeepsTheKeyWhileOthersRemain() {
      Map<String, Presence> synced = PhoenixPresence.syncDiff(state(presence("u1", meta("1"), meta("1.2"))),
          leaves(presence("u1", meta("1"))), onJoin, onLeave);

      assertThat(synced).isEqualTo(state(presence("u1", meta("1.2"))));
      assertThat(events).containsExactly("leave u1 [1] now [1.2]");
    }

    @Test
    void appliesJoinsBeforeLeaves() {
      // An update: the same diff replaces meta 1 by meta 2. Leaves first would drop u1 and add it back.
      PresenceDiff update = diff(state(presence("u1", meta("2"))), state(presence("u1", meta("1"))));

      Map<String, Presence> synced = PhoenixPresence.syncDiff(state(presence("u1", meta("1"))), update, onJoin,
          onLeave);

      assertThat(synced).isEqualTo(state(presence("u1", meta("2"))));
      assertThat(events).containsExactly("join u1 [2] was [1]", "leave u1 [1] now [2]");
    }

    @Test
    void replacesAMetaWhosePhxRefIsAlreadyPresent() {
      Map<String, Presence> synced = PhoenixPresence.syncDiff(state(presence("u1", meta("1", "Old"), meta("2"))),
          joins(presence("u1", meta("1", "New"))), onJoin, onLeave);

      assertThat(synced.get("u1").metas()).containsExactly(meta("1", "New"), meta("2"));
      assertThat(events).containsExactly("join u1 [1] was [1, 2]");
    }

    @Test
    void staysSilentAboutAJoinOfAMetaAlreadyPresentAndALeaveOfAnAbsentOne() {
      Map<String, Presence> before = state(presence("u1", meta("1")));
      PresenceDiff replayed = diff(state(presence("u1", meta("1"))),
          state(presence("u1", meta("gone")), presence("nobody", meta("x"))));

      Map<String, Presence> synced = PhoenixPresence.syncDiff(before, replayed, onJoin, onLeave);

      assertThat(synced).isEqualTo(before);
      assertThat(events).isEmpty();
    }

    @Test
    void keepsEachKeyInItsPlaceAndAddsNewKeysLast() {
      Map<String, Presence> synced = PhoenixPresence.syncDiff(threeUsers(),
          joins(presence("u0", meta("0")), presence("u2", meta("2.2"))), null, null);

      assertThat(synced.keySet()).containsExactly("u1", "u2", "u3", "u0");
    }
  }

  @Nested
  class OrdinaryKeys {
    private final List<String> jsKeys = List.of("__proto__", "constructor", "hasOwnProperty", "toString");

    @Test
    void keysSuchAsProtoOrConstructorSyncFromAState() {
      Map<String, Presence> newState = new LinkedHashMap<>();
      jsKeys.forEach(key -> newState.put(key, presence(key, meta(key + "-ref"))));

      Map<String, Presence> synced = PhoenixPresence.syncState(Map.of(), newState, onJoin, null);

      assertThat(synced.keySet()).containsExactlyElementsOf(jsKeys);
      assertThat(events).containsExactly(
          "join __proto__ [__proto__-ref] was []",
          "join constructor [constructor-ref] was []",
          "join hasOwnProperty [hasOwnProperty-ref] was []",
          "join toString [toString-ref] was []");
    }

    @Test
    void keysSuchAsProtoOrConstructorJoinAndLeaveThroughDiffs() {
      Map<String, Presence> joined = PhoenixPresence.syncDiff(Map.of(),
          joins(presence("__proto__", meta("1")), presence("constructor", meta("2"))), onJoin, onLeave);
      Map<String, Presence> left = PhoenixPresence.syncDiff(joined, leaves(presence("__proto__", meta("1"))),
          onJoin, onLeave);

      assertThat(joined.keySet()).containsExactly("__proto__", "constructor");
      assertThat(left.keySet()).containsExactly("constructor");
      assertThat(events).containsExactly("join __proto__ [1] was []", "join constructor [2] was []",
          "leave __proto__ [1] now []");
    }

    @Test
    void keysSuchAsProtoOrConstructorAreReadFromThePayload() {
      ObjectNode payload = statePayload(presence("__proto__", meta("1")), presence("constructor", meta("2")));

      Map<String, Presence> parsed = PhoenixPresence.parseState(payload);

      assertThat(parsed.keySet()).containsExactly("__proto__", "constructor");
      assertThat(refs(parsed.get("__proto__"))).containsExactly("1");
    }
  }

  @Nested
  class ListFunction {
    @Test
    void listsAllPresencesByDefault() {
      assertThat(PhoenixPresence.list(threeUsers())).containsExactly(presence("u1", meta("1")),
          presence("u2", meta("2")), presence("u3", meta("3")));
    }

    @Test
    void listsThroughAChooserFunction() {
      Map<String, Presence> state = state(presence("u1", meta("1.first"), meta("1.second")));

      List<JsonNode> firstMetas = PhoenixPresence.list(state, presence -> presence.metas().get(0));

      assertThat(firstMetas).containsExactly(meta("1.first"));
    }
  }

  @Nested
  class Snapshots {
    @Test
    void aCallbackMayKeepWhatItWasGiven() {
      List<Presence> kept = new ArrayList<>();
      Map<String, Presence> state = PhoenixPresence.syncDiff(Map.of(), joins(presence("u1", meta("1"))),
          (key, current, joined) -> {
            kept.add(current);
            kept.add(joined);
          }, null);
      List<Presence> keptBefore = List.copyOf(kept);

      state = PhoenixPresence.syncDiff(state, joins(presence("u1", meta("2"))), null, (key, current, left) -> { });
      state = PhoenixPresence.syncDiff(state, leaves(presence("u1", meta("1"))), null, null);
      PhoenixPresence.syncState(state, Map.of(), null, null);

      assertThat(kept).isEqualTo(keptBefore);
      assertThat(refs(kept.get(0))).isEmpty();
      assertThat(refs(kept.get(1))).containsExactly("1");
    }

    @Test
    void returnedListsAndMetasCannotBeModified() {
      Map<String, Presence> state = PhoenixPresence.syncDiff(Map.of(), joins(presence("u1", meta("1"))), null,
          null);

      assertThatThrownBy(() -> state.remove("u1")).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> state.get("u1").metas().clear()).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> PhoenixPresence.list(state).clear())
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  class Payloads {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void readsAStateWithItsMetasAndTheFieldsFetchAdds() throws Exception {
      JsonNode payload = mapper.readTree(
          "{\"ada\":{\"metas\":[{\"name\":\"Ada\",\"phx_ref\":\"r1\"}],\"user\":{\"role\":\"admin\"}}}");

      Presence ada = PhoenixPresence.parseState(payload).get("ada");

      assertThat(ada.metas()).containsExactly(meta("r1", "Ada"));
      assertThat(ada.extra().path("user").path("role").asText()).isEqualTo("admin");
      assertThat(ada.extra().has("metas")).isFalse();
    }

    @Test
    void keepsItsOwnCopyOfThePayload() throws Exception {
      ObjectNode payload = (ObjectNode) mapper.readTree("{\"ada\":{\"metas\":[{\"phx_ref\":\"r1\"}]}}");

      Presence ada = PhoenixPresence.parseState(payload).get("ada");
      ((ObjectNode) payload.path("ada").path("metas").path(0)).put("phx_ref", "changed");

      assertThat(refs(ada)).containsExactly("r1");
    }

    @Test
    void readsADiffWithoutLeavesAsOneWithNone() throws Exception {
      PresenceDiff diff = PhoenixPresence.parseDiff(mapper.readTree("{\"joins\":{\"a\":{\"metas\":[]}}}"));

      assertThat(diff.joins()).containsOnlyKeys("a");
      assertThat(diff.leaves()).isEmpty();
    }

    @Test
    void refusesAPresenceWithoutMetas() throws Exception {
      JsonNode payload = mapper.readTree("{\"ada\":{\"name\":\"Ada\"}}");

      assertThatThrownBy(() -> PhoenixPresence.parseState(payload))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'ada'").hasMessageContaining("\"metas\"");
    }

    @Test
    void refusesADiffThatIsNotAnObject() throws Exception {
      assertThatThrownBy(() -> PhoenixPresence.parseDiff(mapper.readTree("[1,2]")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("presence diff must be a JSON object");
    }
  }
}
