package io.phoenixchannels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Phoenix.Presence does on the server, in miniature: metas tracked per key, each with a unique
 * {@code phx_ref}; every change returns the {@code presence_diff} payload Phoenix would broadcast (an update as a
 * leave of the old meta and a join of the new one naming it in {@code phx_ref_prev}), and
 * {@link #statePayload()} is the {@code presence_state} of this moment.
 */
final class PresenceModelServer {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<String, List<ObjectNode>> presences = new LinkedHashMap<>();
  private int lastRef;
  private int lastVersion;

  /** A new process tracks the key. */
  ObjectNode track(String key) {
    ObjectNode meta = NODES.objectNode().put("name", key).put("phx_ref", nextRef());
    presences.computeIfAbsent(key, k -> new ArrayList<>()).add(meta);
    return diff(key, meta, null);
  }

  /** The process of one meta updates it; a key without metas is tracked instead. */
  ObjectNode update(String key, int metaIndex) {
    List<ObjectNode> metas = presences.get(key);
    if (metas == null) {
      return track(key);
    }
    int index = metaIndex % metas.size();
    ObjectNode old = metas.get(index);
    ObjectNode updated = old.deepCopy().put("phx_ref", nextRef()).put("phx_ref_prev", old.path("phx_ref").asText())
        .put("version", ++lastVersion);
    metas.set(index, updated);
    return diff(key, updated, old);
  }

  /** The process of one meta stops tracking; a key without metas is tracked instead. */
  ObjectNode untrack(String key, int metaIndex) {
    List<ObjectNode> metas = presences.get(key);
    if (metas == null) {
      return track(key);
    }
    ObjectNode old = metas.remove(metaIndex % metas.size());
    if (metas.isEmpty()) {
      presences.remove(key);
    }
    return diff(key, null, old);
  }

  ObjectNode statePayload() {
    ObjectNode payload = NODES.objectNode();
    presences.forEach((key, metas) -> payload.putObject(key).putArray("metas").addAll(metas));
    return payload;
  }

  /** Each key's metas as a set: the order of metas is not something a client can reproduce. */
  Map<String, Set<JsonNode>> metaSets() {
    Map<String, Set<JsonNode>> sets = new LinkedHashMap<>();
    presences.forEach((key, metas) -> sets.put(key, new HashSet<>(metas)));
    return sets;
  }

  private String nextRef() {
    return "F" + (++lastRef);
  }

  private static ObjectNode diff(String key, ObjectNode joined, ObjectNode left) {
    ObjectNode payload = NODES.objectNode();
    ObjectNode joins = payload.putObject("joins");
    ObjectNode leaves = payload.putObject("leaves");
    if (joined != null) {
      joins.putObject(key).putArray("metas").add(joined);
    }
    if (left != null) {
      leaves.putObject(key).putArray("metas").add(left);
    }
    return payload;
  }
}
