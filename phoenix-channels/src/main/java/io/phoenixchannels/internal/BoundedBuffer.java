package io.phoenixchannels.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages waiting for something (a connection, a join), oldest first, at most a fixed number: one more is refused
 * so that its sender can fail it loudly, instead of the buffer growing without bound or dropping it silently. Used
 * on the event loop only.
 *
 * @param <T> what waits
 */
public final class BoundedBuffer<T> {
  private final ArrayDeque<T> items = new ArrayDeque<>();
  private final int capacity;

  /**
   * @param capacity how many items fit, at least 1
   */
  public BoundedBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a buffer holds at least one item, not " + capacity);
    }
    this.capacity = capacity;
  }

  /** Adds an item at the end, unless the buffer is full: then it returns false and adds nothing. */
  public boolean offer(T item) {
    if (items.size() >= capacity) {
      return false;
    }
    items.add(item);
    return true;
  }

  /** Empties the buffer, returning what it held, oldest first; items added meanwhile are not in the list. */
  public List<T> drain() {
    List<T> drained = new ArrayList<>(items);
    items.clear();
    return drained;
  }

  /**
   * Puts an item back at the front, even past the capacity: it was counted when it first came in, and what goes back
   * must not be refused.
   */
  public void putBack(T item) {
    items.addFirst(item);
  }

  public boolean remove(T item) {
    return items.remove(item);
  }

  public int size() {
    return items.size();
  }
}
