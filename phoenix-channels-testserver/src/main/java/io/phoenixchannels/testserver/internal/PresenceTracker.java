package io.phoenixchannels.testserver.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Phoenix.Presence on one node: presences per topic and key, each meta with a {@code phx_ref}, and a {@code
 * presence_diff} broadcast for every change, sent before the change returns (as Phoenix's tracker does, which is
 * why a joiner's own diff arrives before its {@code presence_state}).
 *
 * <p>One lock guards everything, and diffs are broadcast under it, so every client sees the diffs of a topic in the
 * same order.
 */
public final class PresenceTracker {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final PubSub pubsub;
  private final ObjectMapper mapper;
  private final Map<String, Map<String, List<Entry>>> topics = new LinkedHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong counter = new AtomicLong();

  private record Entry(ChannelProcess owner, ObjectNode meta) {}

  /** A tracker that broadcasts its diffs through this PubSub. */
  public PresenceTracker(PubSub pubsub, ObjectMapper mapper) {
    this.pubsub = pubsub;
    this.mapper = mapper;
  }

  /**
   * Tracks a presence of a channel.
   *
   * @throws IllegalStateException if the channel already tracks the key on the topic
   * @throws IllegalArgumentException if the meta is not a JSON object
   */
  public synchronized ObjectNode track(ChannelProcess owner, String topic, String key, Object meta) {
    ObjectNode stored = metaObject(meta);
    List<Entry> entries = topics.computeIfAbsent(topic, t -> new LinkedHashMap<>())
        .computeIfAbsent(key, k -> new ArrayList<>());
    for (Entry entry : entries) {
      if (entry.owner == owner) {
        throw new IllegalStateException("'" + key + "' is already tracked on '" + topic + "' by this channel");
      }
    }
    stored.put("phx_ref", newRef());
    entries.add(new Entry(owner, stored));
    broadcastDiff(topic, Map.of(key, List.of(stored)), Map.of());
    return stored.deepCopy();
  }

  /**
   * Replaces the meta of a channel's presence.
   *
   * @throws IllegalStateException if the channel does not track the key on the topic
   */
  public synchronized ObjectNode update(ChannelProcess owner, String topic, String key, Object meta) {
    ObjectNode updated = metaObject(meta);
    List<Entry> entries = topics.getOrDefault(topic, Map.of()).get(key);
    int index = entries == null ? -1 : indexOf(entries, owner);
    if (index < 0) {
      throw new IllegalStateException("'" + key + "' is not tracked on '" + topic + "' by this channel");
    }
    ObjectNode previous = entries.get(index).meta;
    updated.put("phx_ref", newRef());
    updated.put("phx_ref_prev", previous.get("phx_ref").asText());
    entries.set(index, new Entry(owner, updated));
    broadcastDiff(topic, Map.of(key, List.of(updated)), Map.of(key, List.of(previous)));
    return updated.deepCopy();
  }

  /** Removes one presence of a channel, with a leave diff; does nothing if it is not tracked. */
  public synchronized void untrack(ChannelProcess owner, String topic, String key) {
    Map<String, List<Entry>> keys = topics.get(topic);
    List<Entry> entries = keys == null ? null : keys.get(key);
    int index = entries == null ? -1 : indexOf(entries, owner);
    if (index < 0) {
      return;
    }
    Entry removed = entries.remove(index);
    prune(topic, key);
    broadcastDiff(topic, Map.of(), Map.of(key, List.of(removed.meta)));
  }

  /** Removes everything a channel tracked, one leave diff per topic: what Phoenix does when a channel dies. */
  public synchronized void untrackAll(ChannelProcess owner) {
    for (String topic : List.copyOf(topics.keySet())) {
      Map<String, List<ObjectNode>> leaves = new LinkedHashMap<>();
      Map<String, List<Entry>> keys = topics.get(topic);
      for (String key : List.copyOf(keys.keySet())) {
        for (Iterator<Entry> it = keys.get(key).iterator(); it.hasNext(); ) {
          Entry entry = it.next();
          if (entry.owner == owner) {
            it.remove();
            leaves.computeIfAbsent(key, k -> new ArrayList<>()).add(entry.meta);
          }
        }
        prune(topic, key);
      }
      if (!leaves.isEmpty()) {
        broadcastDiff(topic, Map.of(), leaves);
      }
    }
  }

  /** {@code Presence.list(topic)}: {@code {key: {"metas": [...]}}}. */
  public synchronized ObjectNode list(String topic) {
    ObjectNode state = NODES.objectNode();
    topics.getOrDefault(topic, Map.of()).forEach((key, entries) -> {
      List<ObjectNode> metas = new ArrayList<>();
      entries.forEach(entry -> metas.add(entry.meta));
      state.set(key, metasNode(metas));
    });
    return state;
  }

  private void broadcastDiff(String topic, Map<String, List<ObjectNode>> joins,
      Map<String, List<ObjectNode>> leaves) {
    ObjectNode diff = NODES.objectNode();
    diff.set("joins", byKey(joins));
    diff.set("leaves", byKey(leaves));
    pubsub.broadcast(ServerMessage.broadcast(topic, "presence_diff", diff, mapper), null);
  }

  private static ObjectNode byKey(Map<String, List<ObjectNode>> metasByKey) {
    ObjectNode node = NODES.objectNode();
    metasByKey.forEach((key, metas) -> node.set(key, metasNode(metas)));
    return node;
  }

  private static ObjectNode metasNode(List<ObjectNode> metas) {
    ArrayNode array = NODES.arrayNode();
    metas.forEach(meta -> array.add(meta.deepCopy()));
    ObjectNode node = NODES.objectNode();
    node.set("metas", array);
    return node;
  }

  private void prune(String topic, String key) {
    Map<String, List<Entry>> keys = topics.get(topic);
    if (keys.get(key).isEmpty()) {
      keys.remove(key);
    }
    if (keys.isEmpty()) {
      topics.remove(topic);
    }
  }

  private static int indexOf(List<Entry> entries, ChannelProcess owner) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).owner == owner) {
        return i;
      }
    }
    return -1;
  }

  private ObjectNode metaObject(Object meta) {
    JsonNode node = Payloads.json(meta, mapper);
    if (!node.isObject()) {
      throw new IllegalArgumentException("a presence meta must be a JSON object, got " + node.getNodeType());
    }
    return ((ObjectNode) node).deepCopy();
  }

  /** A unique, opaque 16-character ref like Phoenix's ({@code "GOwa3rQjADCq4ASR"}). */
  private String newRef() {
    ByteBuffer bytes = ByteBuffer.allocate(12);
    bytes.putLong(System.currentTimeMillis() << 20 | (counter.incrementAndGet() & 0xFFFFF));
    bytes.putInt(random.nextInt());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
  }
}
