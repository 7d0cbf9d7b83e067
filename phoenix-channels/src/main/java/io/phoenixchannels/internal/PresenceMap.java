package io.phoenixchannels.internal;

import io.phoenixchannels.Presence;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A presence list by key that is never changed, only replaced: {@link #put} and {@link #remove} return a new map
 * that shares all but the changed path with this one (a hash trie of 32-way nodes), so a change costs in
 * proportion to the depth of the trie, not to the size of the room, and any thread may read any version while
 * the event loop makes the next. Keys keep their place when their value changes and come last when they are new,
 * as in a {@link LinkedHashMap}; the ordered list is made only when someone asks, once per version.
 */
public final class PresenceMap {
  /** The empty map. */
  public static final PresenceMap EMPTY = new PresenceMap(null, 0, 0);

  private static final int BITS = 5;
  private static final int MASK = (1 << BITS) - 1;
  /** The last shift that still has bits of the hash to branch on; deeper, equal hashes share a collision node. */
  private static final int MAX_SHIFT = 30;

  private final Node root;
  private final int size;
  /** The place the next new key gets; only grows, so the order of places is the order keys arrived in. */
  private final long nextPlace;
  /** Made on first request; an immutable list, so a racing second computation is harmless. */
  private List<Presence> list;

  private PresenceMap(Node root, int size, long nextPlace) {
    this.root = root;
    this.size = size;
    this.nextPlace = nextPlace;
  }

  /**
   * Copies an ordinary map, in its iteration order.
   *
   * @param presences presences by key
   * @return the map
   */
  public static PresenceMap copyOf(Map<String, Presence> presences) {
    PresenceMap map = EMPTY;
    for (Map.Entry<String, Presence> entry : presences.entrySet()) {
      map = map.put(entry.getKey(), entry.getValue());
    }
    return map;
  }

  /** Returns how many keys the map holds. */
  public int size() {
    return size;
  }

  /** Tells whether the map holds no key. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** Returns the presence of a key, or {@code null}. */
  public Presence get(String key) {
    Entry entry = entry(key);
    return entry == null ? null : entry.value;
  }

  /** Returns a map with the key bound to the value: in its old place if it was present, else last. */
  public PresenceMap put(String key, Presence value) {
    Objects.requireNonNull(value, "value");
    int hash = hash(key);
    Entry old = entry(key, hash);
    if (old != null) {
      if (old.value == value) {
        return this;
      }
      return new PresenceMap(put(root, 0, new Entry(key, hash, old.place, value)), size, nextPlace);
    }
    return new PresenceMap(put(root, 0, new Entry(key, hash, nextPlace, value)), size + 1, nextPlace + 1);
  }

  /** Returns a map without the key; this map if the key is absent. */
  public PresenceMap remove(String key) {
    int hash = hash(key);
    if (entry(key, hash) == null) {
      return this;
    }
    if (size == 1) {
      return new PresenceMap(null, 0, nextPlace);
    }
    return new PresenceMap(remove(root, 0, hash, key), size - 1, nextPlace);
  }

  /** Returns the presences in the order their keys arrived; an immutable list, made once per map. */
  public List<Presence> list() {
    List<Presence> made = list;
    if (made == null) {
      Entry[] entries = new Entry[size];
      collect(root, entries, 0);
      made = List.of(inPlaceOrder(entries));
      list = made;
    }
    return made;
  }

  /**
   * Puts entries in the order of their places. Places are dense unless many keys left and came back, so each
   * entry usually goes straight to its slot in an array as long as the span of places: as fast as a copy, which
   * matters to callbacks that read the whole list after every sync. Sorted otherwise.
   */
  private static Presence[] inPlaceOrder(Entry[] entries) {
    Presence[] values = new Presence[entries.length];
    if (entries.length == 0) {
      return values;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Entry entry : entries) {
      min = Math.min(min, entry.place);
      max = Math.max(max, entry.place);
    }
    long span = max - min + 1;
    if (span <= 4L * entries.length) {
      Presence[] slots = new Presence[(int) span];
      for (Entry entry : entries) {
        slots[(int) (entry.place - min)] = entry.value;
      }
      int at = 0;
      for (Presence slot : slots) {
        if (slot != null) {
          values[at++] = slot;
        }
      }
      return values;
    }
    Arrays.sort(entries, (a, b) -> Long.compare(a.place, b.place));
    for (int i = 0; i < entries.length; i++) {
      values[i] = entries[i].value;
    }
    return values;
  }

  /** Returns an unmodifiable ordinary map with the same entries in the same order. */
  public Map<String, Presence> toMap() {
    Map<String, Presence> map = new LinkedHashMap<>();
    for (Presence presence : list()) {
      map.put(presence.key(), presence);
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public String toString() {
    return "PresenceMap" + toMap();
  }

  // ---- the trie ----

  private Entry entry(String key) {
    return entry(key, hash(key));
  }

  private Entry entry(String key, int hash) {
    Object slot = root;
    int shift = 0;
    while (true) {
      if (slot instanceof Node node) {
        int bit = bit(hash, shift);
        if ((node.bitmap & bit) == 0) {
          return null;
        }
        slot = node.slots[node.index(bit)];
        shift += BITS;
      } else if (slot instanceof Entry entry) {
        return entry.key.equals(key) ? entry : null;
      } else if (slot instanceof Collision collision) {
        return collision.find(key);
      } else {
        return null;
      }
    }
  }

  private static Node put(Node node, int shift, Entry entry) {
    int bit = bit(entry.hash, shift);
    if (node == null) {
      return new Node(bit, new Object[] {entry});
    }
    int index = node.index(bit);
    if ((node.bitmap & bit) == 0) {
      Object[] slots = new Object[node.slots.length + 1];
      System.arraycopy(node.slots, 0, slots, 0, index);
      slots[index] = entry;
      System.arraycopy(node.slots, index, slots, index + 1, node.slots.length - index);
      return new Node(node.bitmap | bit, slots);
    }
    Object slot = node.slots[index];
    Object replacement;
    if (slot instanceof Node child) {
      replacement = put(child, shift + BITS, entry);
    } else if (slot instanceof Entry present) {
      replacement = present.key.equals(entry.key) ? entry : merge(present, entry, shift + BITS);
    } else {
      replacement = ((Collision) slot).with(entry);
    }
    Object[] slots = node.slots.clone();
    slots[index] = replacement;
    return new Node(node.bitmap, slots);
  }

  /** A subtree holding two entries whose hashes agree below {@code shift}. */
  private static Object merge(Entry a, Entry b, int shift) {
    if (shift > MAX_SHIFT) {
      return new Collision(new Entry[] {a, b});
    }
    int bitA = bit(a.hash, shift);
    int bitB = bit(b.hash, shift);
    if (bitA == bitB) {
      return new Node(bitA, new Object[] {merge(a, b, shift + BITS)});
    }
    return new Node(bitA | bitB, Integer.compareUnsigned(bitA, bitB) < 0 ? new Object[] {a, b} : new Object[] {b, a});
  }

  /** Removes a key known to be present; returns the node without it, {@code null} when nothing is left. */
  private static Node remove(Node node, int shift, int hash, String key) {
    int bit = bit(hash, shift);
    int index = node.index(bit);
    Object slot = node.slots[index];
    Object replacement;
    if (slot instanceof Node child) {
      replacement = lift(remove(child, shift + BITS, hash, key));
    } else if (slot instanceof Entry) {
      replacement = null;
    } else {
      replacement = ((Collision) slot).without(key);
    }
    if (replacement != null) {
      Object[] slots = node.slots.clone();
      slots[index] = replacement;
      return new Node(node.bitmap, slots);
    }
    if (node.slots.length == 1) {
      return null;
    }
    Object[] slots = new Object[node.slots.length - 1];
    System.arraycopy(node.slots, 0, slots, 0, index);
    System.arraycopy(node.slots, index + 1, slots, index, slots.length - index);
    return new Node(node.bitmap & ~bit, slots);
  }

  /**
   * A node left holding a single entry gives way to the entry, so removals leave no chains behind. A collision
   * node stays where it is: only at the bottom are all the hashes it holds equal to any that lands on it.
   */
  private static Object lift(Node node) {
    if (node != null && node.slots.length == 1 && node.slots[0] instanceof Entry entry) {
      return entry;
    }
    return node;
  }

  private static int collect(Object slot, Entry[] into, int at) {
    if (slot instanceof Node node) {
      for (Object child : node.slots) {
        at = collect(child, into, at);
      }
    } else if (slot instanceof Entry entry) {
      into[at++] = entry;
    } else if (slot instanceof Collision collision) {
      for (Entry entry : collision.entries) {
        into[at++] = entry;
      }
    }
    return at;
  }

  private static int hash(String key) {
    int h = key.hashCode();
    return h ^ (h >>> 16);
  }

  private static int bit(int hash, int shift) {
    return 1 << ((hash >>> shift) & MASK);
  }

  private record Entry(String key, int hash, long place, Presence value) {}

  private static final class Node {
    final int bitmap;
    final Object[] slots;

    Node(int bitmap, Object[] slots) {
      this.bitmap = bitmap;
      this.slots = slots;
    }

    int index(int bit) {
      return Integer.bitCount(bitmap & (bit - 1));
    }
  }

  /** Entries whose hashes are equal in every bit. */
  private static final class Collision {
    final Entry[] entries;

    Collision(Entry[] entries) {
      this.entries = entries;
    }

    Entry find(String key) {
      for (Entry entry : entries) {
        if (entry.key.equals(key)) {
          return entry;
        }
      }
      return null;
    }

    Collision with(Entry entry) {
      for (int i = 0; i < entries.length; i++) {
        if (entries[i].key.equals(entry.key)) {
          Entry[] copy = entries.clone();
          copy[i] = entry;
          return new Collision(copy);
        }
      }
      Entry[] copy = Arrays.copyOf(entries, entries.length + 1);
      copy[entries.length] = entry;
      return new Collision(copy);
    }

    Object without(String key) {
      if (entries.length == 2) {
        return entries[0].key.equals(key) ? entries[1] : entries[0];
      }
      Entry[] copy = new Entry[entries.length - 1];
      int at = 0;
      for (Entry entry : entries) {
        if (!entry.key.equals(key)) {
          copy[at++] = entry;
        }
      }
      return new Collision(copy);
    }
  }
}
