package io.phoenixchannels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.testing.Traces;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conformance traces with Presence in them, replayed through this client: the presence events after each
 * server frame, and the list wherever phoenix.js reported its own ({@code presence.onSync} with the list,
 * {@code on(presence_state)} with the state), compared with what phoenix.js saw against the real servers.
 */
class PresenceTraceReplayTest {

  /** Replays one connection of a trace with a presence on every channel, and logs what the presence does. */
  private static final class PresenceLog implements TraceReplay.Observer {
    final List<String> lines = new ArrayList<>();
    final List<PhoenixPresence> presences = new ArrayList<>();
    final List<PresenceRecorder> recorders = new ArrayList<>();
    int checkedNotes;

    PresenceLog(String version, String trace, String conn, String vsn) {
      TraceReplay replay = new TraceReplay(vsn, channel -> {
        PhoenixPresence presence = new PhoenixPresence(channel);
        presences.add(presence);
        recorders.add(PresenceRecorder.countingMetas(presence));
      });
      replay.play(Traces.load(version, trace), conn, this);
      flush();
    }

    PhoenixPresence presence() {
      return presences.get(0);
    }

    @Override
    public void receiving(String topic, String event) {
      flush();
      if (event.startsWith("presence_")) {
        lines.add("< " + event);
      }
    }

    @Override
    public void note(JsonNode note) {
      String msg = note.path("msg").asText();
      if (msg.equals("presence.onSync")) {
        flush();
        assertThat(lines).as("phoenix.js synced here").last().asString().startsWith("sync ");
        assertThat(asTraceList(presence().list())).as("the list at " + note).isEqualTo(note.path("list"));
        checkedNotes++;
      } else if (msg.equals("on(presence_state)")) {
        flush();
        assertThat(PresenceJson.statePayload(PhoenixPresence.parseState(note.path("state"))))
            .isEqualTo(PresenceJson.statePayload(presence().list().toArray(Presence[]::new)));
        checkedNotes++;
      }
    }

    private void flush() {
      recorders.forEach(recorder -> lines.addAll(recorder.take()));
    }

    /** The list in the form the trace notes use: {@code [{"id": key, "metas": [...]}, ...]}. */
    private static ArrayNode asTraceList(List<Presence> list) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (Presence presence : list) {
        ObjectNode entry = array.addObject().put("id", presence.key());
        entry.putArray("metas").addAll(presence.metas());
      }
      return array;
    }
  }

  @Nested
  class V2Presence {
    @ParameterizedTest
    @ValueSource(strings = {"phoenix-1.7", "phoenix-1.8"})
    void followsAnotherClientJoiningUpdatingAndLeavingAsPhoenixJsDid(String version) {
      PresenceLog log = new PresenceLog(version, "v2_presence", "A", "2.0.0");

      assertThat(log.lines).containsExactly(
          "< presence_diff",
          "< presence_state", "join ivy +1 (was 0)", "sync [ivy]",
          "< presence_diff", "join jon +1 (was 0)", "sync [ivy, jon]",
          "< presence_diff", "join jon +1 (was 1)", "leave jon -1 (now 1)", "sync [ivy, jon]",
          "< presence_diff", "leave jon -1 (now 0)", "sync [ivy]");
      assertThat(log.checkedNotes).as("every onSync of phoenix.js compared").isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"phoenix-1.7", "phoenix-1.8"})
    void seesItsOwnJoinAfterTheStateAndItsOwnUpdateThenGoesStaleOnLeaving(String version) {
      PresenceLog log = new PresenceLog(version, "v2_presence", "B", "2.0.0");

      assertThat(log.lines).containsExactly(
          "< presence_diff",
          "< presence_state", "join ivy +1 (was 0)", "join jon +1 (was 0)", "sync [ivy, jon]",
          "< presence_diff", "join jon +1 (was 1)", "leave jon -1 (now 1)", "sync [ivy, jon]");
      PhoenixPresence presence = log.presence();
      assertThat(presence.get("jon").orElseThrow().metas()).singleElement()
          .satisfies(meta -> assertThat(meta.path("status").asText()).isEqualTo("away"))
          .satisfies(meta -> assertThat(meta.has("phx_ref_prev")).isTrue());
      assertThat(presence.isStale()).as("the channel was left").isTrue();
    }
  }

  @Nested
  class V2JoinOk {
    @ParameterizedTest
    @ValueSource(strings = {"phoenix-1.7", "phoenix-1.8"})
    void holdsItsOwnJoinDiffUntilTheStateArrives(String version) {
      PresenceLog log = new PresenceLog(version, "v2_join_ok", "A", "2.0.0");

      assertThat(log.lines).containsExactly(
          "< presence_diff",
          "< presence_state", "join alice +1 (was 0)", "sync [alice]");
      assertThat(log.checkedNotes).isEqualTo(1);
      assertThat(log.presence().inPendingSyncState()).isFalse();
    }
  }

  @Nested
  class V1JoinPush {
    @ParameterizedTest
    @ValueSource(strings = {"phoenix-1.7", "phoenix-1.8"})
    void syncsOverTheV1SerializerWhereNoFrameCarriesAJoinRef(String version) {
      PresenceLog log = new PresenceLog(version, "v1_join_push", "A", "1.0.0");

      assertThat(log.lines).containsExactly(
          "< presence_diff",
          "< presence_state", "join rita +1 (was 0)", "sync [rita]");
      assertThat(log.checkedNotes).isEqualTo(1);
      assertThat(log.presence().list()).extracting(Presence::key).containsExactly("rita");
    }
  }
}
