package io.phoenixchannels;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.phoenixchannels.internal.CallbackDispatcher;
import io.phoenixchannels.internal.ListenerList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What a channel's users registered: event bindings, listeners of every message, of errors and of the close, and
 * the message hook. Registrations come from any thread; the channel hands events over on the loop, and they reach
 * the user's callbacks on the callback executor, in order.
 */
final class ChannelCallbacks {
  private final PhoenixSocket socket;
  private final String topic;
  private final CallbackDispatcher dispatcher;
  private final List<Binding> bindings = new CopyOnWriteArrayList<>();
  private final ListenerList<Message> messageListeners = new ListenerList<>();
  final ListenerList<ChannelError> errorListeners = new ListenerList<>();
  final ListenerList<ChannelClose> closeListeners = new ListenerList<>();
  final ListenerList<ChannelState> stateListeners = new ListenerList<>();
  /** The library's own listeners (Presence, publishers): called on the loop, before the user's callbacks. */
  private final List<Consumer<Message>> internalListeners = new CopyOnWriteArrayList<>();
  private volatile UnaryOperator<Message> messageHook;

  ChannelCallbacks(PhoenixSocket socket, String topic) {
    this.socket = socket;
    this.topic = topic;
    this.dispatcher = socket.dispatcher();
  }

  Subscription on(String event, Consumer<Message> callback) {
    Binding binding = new Binding(event, callback);
    bindings.add(binding);
    return () -> bindings.remove(binding);
  }

  /** Binds a callback to an event's payloads converted to a type; one that does not convert is reported. */
  <T> Subscription on(String event, Class<T> type, Consumer<? super T> callback) {
    return on(event, message -> {
      T value;
      try {
        value = socket.mapper().treeToValue(message.payload(), type);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        socket.reportError(new ProtocolException("payload of '" + event + "' on '" + topic + "' cannot be read as "
            + type.getName() + ": " + e.getMessage(), e));
        return;
      }
      callback.accept(value);
    });
  }

  void off(String event) {
    bindings.removeIf(binding -> binding.event.equals(event));
  }

  Subscription onMessage(Consumer<Message> callback) {
    return messageListeners.add(callback);
  }

  void messageHook(UnaryOperator<Message> hook) {
    this.messageHook = hook;
  }

  void addInternalListener(Consumer<Message> listener) {
    internalListeners.add(listener);
  }

  /** A message for the channel, on the loop. */
  void message(Message message) {
    for (Consumer<Message> listener : internalListeners) {
      listener.accept(message);
    }
    if (!bindings.isEmpty() || !messageListeners.isEmpty()) {
      dispatcher.dispatch(() -> deliver(message));
    }
  }

  void error(ChannelError why) {
    errorListeners.fire(dispatcher, why);
  }

  void closed(ChannelClose why) {
    closeListeners.fire(dispatcher, why);
  }

  /** On the callback executor: each callback is guarded alone, so one that throws costs the others nothing. */
  private void deliver(Message message) {
    UnaryOperator<Message> hook = messageHook;
    Message delivered = hook == null ? message : hook.apply(message);
    if (delivered == null) {
      return;
    }
    for (Binding binding : bindings) {
      if (binding.event.equals(delivered.event())) {
        dispatcher.runGuarded(() -> binding.callback.accept(delivered));
      }
    }
    messageListeners.fireNow(dispatcher, delivered);
  }

  private record Binding(String event, Consumer<Message> callback) {}
}
