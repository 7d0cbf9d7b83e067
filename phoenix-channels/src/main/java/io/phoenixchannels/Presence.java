package io.phoenixchannels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One key of a Phoenix Presence (typically a user) and its metas: one per process that tracks the key, such as
 * each device or browser tab the user is connected from.
 *
 * <p>On the wire a presence is {@code "key": {"metas": [{..., "phx_ref": "..."}, ...]}}; each meta carries the
 * server's unique {@code phx_ref}, and a meta that was updated also carries the {@code phx_ref_prev} of the meta it
 * replaced. A server whose {@code fetch/2} callback adds fields beside {@code metas} (for example
 * {@code "user": {...}}) finds them in {@link #extra()}.
 *
 * <p>A presence is an immutable snapshot: {@link PhoenixPresence} never changes one it handed out, so a callback
 * may keep what it was given. The JSON nodes inside are shared between snapshots and must be treated as read-only
 * (copy one with {@link JsonNode#deepCopy()} to change it); {@link PhoenixPresence#metas(String, Class)} gives the
 * metas as objects of your own type instead. Safe to pass between threads.
 *
 * @param key the presence key, as the server tracked it; any string ({@code "__proto__"} is an ordinary key)
 * @param metas the metas, JSON objects, in the order they arrived; an unmodifiable list, empty only in the
 *     {@code current} presence a {@link PresenceJoinListener} or {@link PresenceLeaveListener} gets
 * @param extra the presence's fields other than {@code metas}; an empty object when there are none
 */
public record Presence(String key, List<JsonNode> metas, ObjectNode extra) {

  /**
   * Checks and copies the fields.
   *
   * @param key the presence key
   * @param metas the metas, copied
   * @param extra the other fields, or {@code null} for none
   * @throws NullPointerException if the key, the metas or one of the metas is {@code null}
   */
  public Presence {
    Objects.requireNonNull(key, "key");
    metas = List.copyOf(metas);
    extra = extra == null ? JsonNodeFactory.instance.objectNode() : extra;
  }

  /**
   * Creates a presence with no fields beside its metas.
   *
   * @param key the presence key
   * @param metas the metas
   */
  public Presence(String key, List<JsonNode> metas) {
    this(key, metas, null);
  }

  /** The same key and extra fields with other metas. */
  Presence withMetas(List<JsonNode> otherMetas) {
    return new Presence(key, otherMetas, extra);
  }
}
