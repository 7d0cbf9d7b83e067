package io.phoenixchannels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds presences, metas and presence payloads for tests, with Jackson nodes. */
final class PresenceJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private PresenceJson() {}

  /** A meta holding only its {@code phx_ref}. */
  static ObjectNode meta(String phxRef) {
    return NODES.objectNode().put("phx_ref", phxRef);
  }

  /** A meta with a name, as the reference app tracks users. */
  static ObjectNode meta(String phxRef, String name) {
    return NODES.objectNode().put("name", name).put("phx_ref", phxRef);
  }

  static Presence presence(String key, JsonNode... metas) {
    return new Presence(key, Arrays.asList(metas));
  }

  /** Presences by key, in the given order. */
  static Map<String, Presence> state(Presence... presences) {
    Map<String, Presence> state = new LinkedHashMap<>();
    for (Presence presence : presences) {
      state.put(presence.key(), presence);
    }
    return state;
  }

  static PresenceDiff diff(Map<String, Presence> joins, Map<String, Presence> leaves) {
    return new PresenceDiff(joins, leaves);
  }

  static PresenceDiff joins(Presence... presences) {
    return diff(state(presences), Map.of());
  }

  static PresenceDiff leaves(Presence... presences) {
    return diff(Map.of(), state(presences));
  }

  /** The wire form of a list: {@code {key: {"metas": [...], ...extra}}}. */
  static ObjectNode statePayload(Presence... presences) {
    return statePayload(state(presences));
  }

  static ObjectNode statePayload(Map<String, Presence> state) {
    ObjectNode payload = NODES.objectNode();
    for (Presence presence : state.values()) {
      ObjectNode entry = presence.extra().deepCopy();
      entry.putArray("metas").addAll(presence.metas());
      payload.set(presence.key(), entry);
    }
    return payload;
  }

  /** The wire form of a diff: {@code {"joins": {...}, "leaves": {...}}}. */
  static ObjectNode diffPayload(PresenceDiff diff) {
    ObjectNode payload = NODES.objectNode();
    payload.set("joins", statePayload(diff.joins()));
    payload.set("leaves", statePayload(diff.leaves()));
    return payload;
  }

  /** The {@code phx_ref}s of a presence's metas, in order: what most assertions compare. */
  static List<String> refs(Presence presence) {
    List<String> refs = new ArrayList<>();
    for (JsonNode meta : presence.metas()) {
      refs.add(meta.path("phx_ref").asText());
    }
    return refs;
  }
}
