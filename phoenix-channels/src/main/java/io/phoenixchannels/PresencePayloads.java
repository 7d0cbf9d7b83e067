package io.phoenixchannels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.internal.PresenceMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code presence_state} and {@code presence_diff} payloads into immutable presences. */
final class PresencePayloads {
  private static final String METAS = "metas";

  private PresencePayloads() {}

  static Map<String, Presence> state(JsonNode payload) {
    return Collections.unmodifiableMap(presences(payload, "presence state"));
  }

  /** Reads a {@code presence_state} payload straight into a persistent map: one walk over it. */
  static PresenceMap stateMap(JsonNode payload) {
    String what = "presence state";
    requireObject(payload, what);
    PresenceMap presences = PresenceMap.EMPTY;
    for (Map.Entry<String, JsonNode> field : payload.properties()) {
      presences = presences.put(field.getKey(), presence(field.getKey(), field.getValue(), what));
    }
    return presences;
  }

  static PresenceDiff diff(JsonNode payload) {
    requireObject(payload, "presence diff");
    // PresenceDiff makes its own copies of the maps.
    return new PresenceDiff(presences(payload.path("joins"), "presence diff joins"),
        presences(payload.path("leaves"), "presence diff leaves"));
  }

  private static Map<String, Presence> presences(JsonNode node, String what) {
    if (node.isMissingNode()) {
      return Map.of();
    }
    requireObject(node, what);
    Map<String, Presence> presences = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      presences.put(field.getKey(), presence(field.getKey(), field.getValue(), what));
    }
    return presences;
  }

  private static Presence presence(String key, JsonNode node, String what) {
    requireObject(node, what + " of '" + key + "'");
    JsonNode metas = node.get(METAS);
    if (metas == null || !metas.isArray()) {
      throw new IllegalArgumentException(what + ": the presence of '" + key + "' needs a \"metas\" array, got "
          + abbreviate(node));
    }
    List<JsonNode> copies = new ArrayList<>(metas.size());
    for (JsonNode meta : metas) {
      requireObject(meta, what + ": a meta of '" + key + "'");
      // The payload also reaches the channel's own callbacks, which may change it; the presence keeps its own.
      copies.add(meta.deepCopy());
    }
    if (node.size() == 1) {
      return new Presence(key, copies);
    }
    ObjectNode extra = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!field.getKey().equals(METAS)) {
        extra.set(field.getKey(), field.getValue().deepCopy());
      }
    }
    return new Presence(key, copies, extra);
  }

  private static void requireObject(JsonNode node, String what) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object, got " + abbreviate(node));
    }
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
