package io.phoenixchannels;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.internal.PresenceMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a presence list follows the server: a new full list replaces it, a diff changes it. Works on persistent
 * maps, so that applying a diff costs what the diff changes, whatever the size of the room; the public functions
 * of {@link PhoenixPresence} and its tracking of a channel both use it.
 */
final class PresenceSync {
  private PresenceSync() {}

  /** See {@link PhoenixPresence#syncState}; returns {@code newState}. */
  static PresenceMap state(PresenceMap state, PresenceMap newState, PresenceJoinListener onJoin,
      PresenceLeaveListener onLeave) {
    if (onJoin != null) {
      for (Presence next : newState.list()) {
        Presence current = state.get(next.key());
        List<JsonNode> currentMetas = current == null ? List.of() : current.metas();
        List<JsonNode> joined = new ArrayList<>(next.metas().size());
        for (JsonNode meta : next.metas()) {
          if (!currentMetas.contains(meta)) {
            joined.add(meta);
          }
        }
        if (!joined.isEmpty()) {
          onJoin.joined(next.key(), current == null ? next.withMetas(List.of()) : current, next.withMetas(joined));
        }
      }
    }
    if (onLeave != null) {
      for (Presence current : state.list()) {
        Presence next = newState.get(current.key());
        Set<String> remainingRefs = phxRefs(next == null ? List.of() : next.metas());
        List<JsonNode> left = new ArrayList<>();
        for (JsonNode meta : current.metas()) {
          if (!remainingRefs.contains(phxRef(meta))) {
            left.add(meta);
          }
        }
        if (!left.isEmpty()) {
          onLeave.left(current.key(), next == null ? current.withMetas(List.of()) : next, current.withMetas(left));
        }
      }
    }
    return newState;
  }

  /** See {@link PhoenixPresence#syncDiff}. */
  static PresenceMap diff(PresenceMap state, PresenceDiff diff, PresenceJoinListener onJoin,
      PresenceLeaveListener onLeave) {
    PresenceMap result = state;
    for (Presence joining : diff.joins().values()) {
      Presence current = result.get(joining.key());
      if (current == null && distinctRefs(joining.metas())) {
        // A key new to the list, as most joins in a crowd are: it is what joined, as it came.
        result = result.put(joining.key(), joining);
        if (onJoin != null && !joining.metas().isEmpty()) {
          onJoin.joined(joining.key(), joining.withMetas(List.of()), joining);
        }
        continue;
      }
      List<JsonNode> metas = new ArrayList<>(current == null ? List.of() : current.metas());
      List<JsonNode> joined = new ArrayList<>(joining.metas().size());
      for (JsonNode meta : joining.metas()) {
        int index = indexOfRef(metas, phxRef(meta));
        if (index < 0) {
          metas.add(meta);
          joined.add(meta);
        } else if (!metas.get(index).equals(meta)) {
          metas.set(index, meta);
          joined.add(meta);
        }
      }
      result = result.put(joining.key(), joining.withMetas(metas));
      if (!joined.isEmpty() && onJoin != null) {
        onJoin.joined(joining.key(), current == null ? joining.withMetas(List.of()) : current,
            joining.withMetas(joined));
      }
    }
    for (Presence leaving : diff.leaves().values()) {
      Presence current = result.get(leaving.key());
      if (current == null) {
        continue;
      }
      Set<String> leavingRefs = phxRefs(leaving.metas());
      List<JsonNode> remaining = new ArrayList<>(current.metas().size());
      List<JsonNode> left = new ArrayList<>();
      for (JsonNode meta : current.metas()) {
        if (leavingRefs.contains(phxRef(meta))) {
          left.add(meta);
        } else {
          remaining.add(meta);
        }
      }
      if (left.isEmpty()) {
        continue;
      }
      Presence after = current.withMetas(remaining);
      result = remaining.isEmpty() ? result.remove(leaving.key()) : result.put(leaving.key(), after);
      if (onLeave != null) {
        onLeave.left(leaving.key(), after, current.withMetas(left));
      }
    }
    return result;
  }

  private static String phxRef(JsonNode meta) {
    JsonNode ref = meta.get("phx_ref");
    return ref == null || ref.isNull() ? null : ref.asText();
  }

  private static Set<String> phxRefs(List<JsonNode> metas) {
    Set<String> refs = new HashSet<>();
    for (JsonNode meta : metas) {
      refs.add(phxRef(meta));
    }
    return refs;
  }

  /** Tells whether no two metas share a {@code phx_ref}, so that joining them one by one keeps them all. */
  private static boolean distinctRefs(List<JsonNode> metas) {
    if (metas.size() < 2) {
      return true;
    }
    return phxRefs(metas).size() == metas.size();
  }

  private static int indexOfRef(List<JsonNode> metas, String ref) {
    for (int i = 0; i < metas.size(); i++) {
      if (Objects.equals(phxRef(metas.get(i)), ref)) {
        return i;
      }
    }
    return -1;
  }
}
