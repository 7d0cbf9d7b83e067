package io.phoenixchannels.testserver.internal;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Which channels listen on which topic, and delivery of broadcasts to them. Thread-safe. */
public final class PubSub {
  private final ConcurrentHashMap<String, CopyOnWriteArrayList<ChannelProcess>> subscribers =
      new ConcurrentHashMap<>();

  /** Adds a channel to its topic's subscribers. Any thread. */
  public void subscribe(String topic, ChannelProcess channel) {
    subscribers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(channel);
  }

  /** Removes a channel from its topic's subscribers. Any thread. */
  public void unsubscribe(String topic, ChannelProcess channel) {
    subscribers.computeIfPresent(topic, (t, list) -> {
      list.remove(channel);
      return list.isEmpty() ? null : list;
    });
  }

  /** Sends a broadcast to every subscriber of its topic but {@code except} (may be {@code null}). */
  public void broadcast(ServerMessage message, ChannelProcess except) {
    List<ChannelProcess> list = subscribers.get(message.topic());
    if (list == null) {
      return;
    }
    for (ChannelProcess channel : list) {
      if (channel != except) {
        channel.deliverBroadcast(message);
      }
    }
  }
}
