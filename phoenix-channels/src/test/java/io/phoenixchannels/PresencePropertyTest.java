package io.phoenixchannels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random track/update/untrack sequences on a {@link PresenceModelServer}, seen by a client through
 * {@code presence_state} and {@code presence_diff} over a fake transport, across reconnects and rejoins.
 *
 * <p>Each session of the client is one join. Changes made while the client is not subscribed (before its first
 * join, during an outage) reach it only through the next state. Once it is subscribed, it gets the diff of every
 * change, in order; the state is a snapshot taken after any number of those changes and may travel before or
 * after any of their diffs (Phoenix broadcasts diffs on a fast lane beside the channel's own push of the state).
 * A session may also lose its connection before its state arrives, leaving held diffs behind.
 */
class PresencePropertyTest {
  private static final List<String> KEYS = List.of("ivy", "jon", "__proto__", "constructor");

  enum Kind { TRACK, UPDATE, UNTRACK }

  record Change(Kind kind, int keyIndex, int metaIndex) {
    ObjectNode applyTo(PresenceModelServer server) {
      String key = KEYS.get(keyIndex);
      return switch (kind) {
        case TRACK -> server.track(key);
        case UPDATE -> server.update(key, metaIndex);
        case UNTRACK -> server.untrack(key, metaIndex);
      };
    }
  }

  /**
   * One join of the client.
   *
   * @param unseen changes made before the client subscribes
   * @param seen changes whose diffs the client receives
   * @param snapshotPick how many seen changes the state includes (modulo their count + 1)
   * @param positionPick after how many diffs the state travels (modulo their count + 1)
   * @param stateLost the connection drops before the state arrives (never in the last session)
   */
  record Session(List<Change> unseen, List<Change> seen, int snapshotPick, int positionPick, boolean stateLost) {}

  @Provide
  Arbitrary<List<Session>> sessions() {
    Arbitrary<Change> change = Combinators.combine(Arbitraries.of(Kind.class),
        Arbitraries.integers().between(0, KEYS.size() - 1), Arbitraries.integers().between(0, 3)).as(Change::new);
    Arbitrary<Session> session = Combinators.combine(change.list().ofMaxSize(6), change.list().ofMaxSize(8),
        Arbitraries.integers().between(0, 99), Arbitraries.integers().between(0, 99),
        Arbitraries.of(false, false, true)).as(Session::new);
    return session.list().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 400)
  void theClientsListEqualsTheServersWhateverTheInterleavingOfStateAndEarlyDiffs(
      @ForAll("sessions") List<Session> sessions, @ForAll boolean v1) {
    ChannelHarness client = new ChannelHarness(v1 ? "1.0.0" : "2.0.0");
    PhoenixPresence presence = new PhoenixPresence(client.channel);
    EventReplay events = new EventReplay(presence);
    PresenceModelServer server = new PresenceModelServer();
    boolean everSynced = false;

    for (int i = 0; i < sessions.size(); i++) {
      Session session = sessions.get(i);
      boolean last = i == sessions.size() - 1;
      session.unseen().forEach(change -> change.applyTo(server));
      if (i == 0) {
        client.connectAndJoin();
      } else {
        client.reconnectAndRejoin();
      }

      List<ObjectNode> diffs = new ArrayList<>();
      int snapshotAt = session.snapshotPick() % (session.seen().size() + 1);
      ObjectNode snapshot = server.statePayload();
      for (Change change : session.seen()) {
        diffs.add(change.applyTo(server));
        if (diffs.size() == snapshotAt) {
          snapshot = server.statePayload();
        }
      }
      boolean stateArrives = last || !session.stateLost();
      int statePosition = session.positionPick() % (diffs.size() + 1);
      for (int k = 0; k <= diffs.size(); k++) {
        if (k == statePosition && stateArrives) {
          client.pushState(snapshot);
        }
        if (k < diffs.size()) {
          client.broadcastDiff(diffs.get(k));
        }
      }

      if (stateArrives) {
        everSynced = true;
        assertThat(metaSets(presence.list())).isEqualTo(server.metaSets());
        assertThat(presence.isStale()).isFalse();
        assertThat(presence.inPendingSyncState()).isFalse();
      } else {
        assertThat(presence.inPendingSyncState()).isTrue();
      }
      if (!last) {
        List<Presence> before = presence.list();
        int eventsBefore = events.count;
        client.dropConnection();
        assertThat(presence.list()).as("the last list stays readable").isEqualTo(before);
        assertThat(events.count).as("nobody is reported leaving").isEqualTo(eventsBefore);
        assertThat(presence.isStale()).isEqualTo(everSynced);
      }
    }
  }

  private static Map<String, Set<JsonNode>> metaSets(List<Presence> list) {
    Map<String, Set<JsonNode>> sets = new LinkedHashMap<>();
    for (Presence presence : list) {
      sets.put(presence.key(), new HashSet<>(presence.metas()));
    }
    return sets;
  }

  /**
   * Applies the join and leave events to a list of its own and checks, at every sync, that the events tell the
   * same story as the list: each {@code current} is what the events said so far, and the events add up to
   * {@link PhoenixPresence#list()}.
   */
  private static final class EventReplay {
    private final Map<String, Set<JsonNode>> told = new HashMap<>();
    int count;

    EventReplay(PhoenixPresence presence) {
      presence.onJoin((key, current, joined) -> {
        Set<JsonNode> metas = told.computeIfAbsent(key, k -> new HashSet<>());
        assertThat(new HashSet<>(current.metas())).as("current before a join of " + key).isEqualTo(metas);
        for (JsonNode meta : joined.metas()) {
          metas.removeIf(known -> known.path("phx_ref").equals(meta.path("phx_ref")));
          metas.add(meta);
        }
        count++;
      });
      presence.onLeave((key, current, left) -> {
        Set<JsonNode> metas = told.getOrDefault(key, new HashSet<>());
        assertThat(metas).as("metas that left " + key).containsAll(left.metas());
        left.metas().forEach(metas::remove);
        assertThat(new HashSet<>(current.metas())).as("current after a leave of " + key).isEqualTo(metas);
        if (metas.isEmpty()) {
          told.remove(key);
        }
        count++;
      });
      presence.onSync(() -> assertThat(told).isEqualTo(metaSets(presence.list())));
    }
  }
}
