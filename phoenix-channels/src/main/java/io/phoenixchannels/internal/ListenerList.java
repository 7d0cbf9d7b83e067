package io.phoenixchannels.internal;

import io.phoenixchannels.Subscription;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Listeners that may be added and removed from any thread while the loop iterates over them: iteration sees a
 * snapshot, so every listener registered when an event starts gets it, whatever the listeners do meanwhile.
 */
public final class ListenerList<T> {
  private final List<Consumer<? super T>> listeners = new CopyOnWriteArrayList<>();

  public Subscription add(Consumer<? super T> listener) {
    Objects.requireNonNull(listener, "listener");
    // Each registration gets its own wrapper, so the same lambda registered twice is removed one at a time.
    Consumer<T> entry = listener::accept;
    listeners.add(entry);
    return () -> listeners.remove(entry);
  }

  /** Hands the event to every listener through the dispatcher; called on the loop. */
  public void fire(CallbackDispatcher dispatcher, T event) {
    for (Consumer<? super T> listener : listeners) {
      dispatcher.dispatch(() -> listener.accept(event));
    }
  }

  /** Calls every listener now, on the calling thread; for code already running on the callback executor. */
  public void fireNow(CallbackDispatcher dispatcher, T event) {
    for (Consumer<? super T> listener : listeners) {
      dispatcher.runGuarded(() -> listener.accept(event));
    }
  }

  public boolean isEmpty() {
    return listeners.isEmpty();
  }

  public int size() {
    return listeners.size();
  }
}
