package io.phoenixchannels.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.testserver.ChannelHandler;
import io.phoenixchannels.testserver.HandleResult;
import io.phoenixchannels.testserver.InboundEvent;
import io.phoenixchannels.testserver.JoinRequest;
import io.phoenixchannels.testserver.JoinResult;
import io.phoenixchannels.testserver.ServerChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The server's side of a scenario's count: a channel handler that answers every push with {@code ok} and its
 * {@code id}, and counts how often each push id and each join (per connection and topic) reached the server. A
 * push delivered twice, or a topic joined twice on one connection without leaving, is a duplicate. Thread-safe.
 */
final class ServerTally {
  private final Map<Long, AtomicInteger> deliveries = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> joinsPerConnectionAndTopic = new ConcurrentHashMap<>();
  private final Set<String> openJoins = ConcurrentHashMap.newKeySet();
  private final AtomicLong duplicateJoins = new AtomicLong();
  private final AtomicLong joinAttempts = new AtomicLong();
  private volatile Predicate<JoinRequest> refuseJoin = join -> false;

  /** A handler factory for {@code PhoenixTestServer.Builder.channel}. */
  ChannelHandler handler() {
    return new ChannelHandler() {
      private String key;

      @Override
      public JoinResult join(JoinRequest request) {
        joinAttempts.incrementAndGet();
        if (refuseJoin.test(request)) {
          return JoinResult.error(Map.of("reason", "not yet"));
        }
        key = request.connection().id() + " " + request.topic();
        joinsPerConnectionAndTopic.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (!openJoins.add(key)) {
          duplicateJoins.incrementAndGet();
        }
        return JoinResult.ok(Map.of("joined", request.topic()));
      }

      @Override
      public HandleResult handleIn(InboundEvent event) {
        JsonNode id = event.payload().get("id");
        if (id != null && id.canConvertToLong()) {
          deliveries.computeIfAbsent(id.asLong(), k -> new AtomicInteger()).incrementAndGet();
        }
        return HandleResult.ok(event.payload());
      }

      @Override
      public void terminate(ServerChannel channel, String reason) {
        if (key != null) {
          openJoins.remove(key);
        }
      }
    };
  }

  /** Refuses the joins that match (with {@code {"reason":"not yet"}}) until told otherwise. */
  void refuseJoinsWhile(Predicate<JoinRequest> refuse) {
    this.refuseJoin = refuse;
  }

  /** Push ids that reached the server more than once. */
  long duplicateDeliveries() {
    return deliveries.values().stream().filter(count -> count.get() > 1).count();
  }

  /** Push ids that reached the server. */
  long delivered() {
    return deliveries.size();
  }

  /** Joins of a topic while the same connection still had it joined. */
  long duplicateJoins() {
    return duplicateJoins.get();
  }

  /** Every join the server was asked for, refused ones included. */
  long joinAttempts() {
    return joinAttempts.get();
  }

  /** How many times each topic was joined on one connection. */
  Map<String, Integer> joinsOn(long connectionId, List<String> topics) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String topic : topics) {
      AtomicInteger count = joinsPerConnectionAndTopic.get(connectionId + " " + topic);
      counts.put(topic, count == null ? 0 : count.get());
    }
    return counts;
  }
}
