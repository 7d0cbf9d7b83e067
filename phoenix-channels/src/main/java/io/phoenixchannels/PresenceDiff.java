package io.phoenixchannels;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code presence_diff}: the metas that joined and the metas that left since the previous diff, by key.
 *
 * <p>On the wire it is {@code {"joins": {key: {"metas": [...]}}, "leaves": {key: {"metas": [...]}}}}; read one
 * with {@link PhoenixPresence#parseDiff(com.fasterxml.jackson.databind.JsonNode)}. A meta update arrives as a
 * leave of the old meta and a join of the new one (which names the old one in {@code phx_ref_prev}). Immutable;
 * the maps keep the order of the payload.
 *
 * @param joins the presences that joined, each holding only the metas that joined
 * @param leaves the presences that left, each holding only the metas that left
 */
public record PresenceDiff(Map<String, Presence> joins, Map<String, Presence> leaves) {

  /**
   * Checks and copies the maps.
   *
   * @param joins the presences that joined, by key
   * @param leaves the presences that left, by key
   * @throws IllegalArgumentException if a map's key differs from the key of its presence
   */
  public PresenceDiff {
    joins = orderedCopy(joins, "joins");
    leaves = orderedCopy(leaves, "leaves");
  }

  static Map<String, Presence> orderedCopy(Map<String, Presence> presences, String what) {
    Objects.requireNonNull(presences, what);
    for (Map.Entry<String, Presence> entry : presences.entrySet()) {
      if (!entry.getKey().equals(entry.getValue().key())) {
        throw new IllegalArgumentException(what + ": the entry '" + entry.getKey() + "' holds the presence of '"
            + entry.getValue().key() + "'");
      }
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(presences));
  }
}
