package io.phoenixchannels;

/**
 * A registered listener. Closing it removes the listener; closing it again does nothing.
 *
 * <p>It may be closed from any thread. A listener removed while an event is being dispatched may still receive
 * that one event, never a later one.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  /** Removes the listener. */
  @Override
  void close();
}
