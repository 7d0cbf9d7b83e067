package io.phoenixchannels.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;

/** The reference app's {@code game:*} channel: bursts of pushes or broadcasts, and ticks on a timer. */
final class ReferenceGameChannel implements ChannelHandler {

  @Override
  public JoinResult join(JoinRequest join) {
    return JoinResult.ok(Map.of("joined", join.topic(), "params", join.params()));
  }

  @Override
  public HandleResult handleIn(InboundEvent event) {
    JsonNode payload = event.payload();
    switch (event.event()) {
      case "echo":
        return HandleResult.ok(payload);
      case "start_ticks":
        return startTicks(event);
      default: {
        ObjectNode unknown = JsonNodeFactory.instance.objectNode();
        unknown.put("reason", "unknown event");
        unknown.put("event", event.event());
        unknown.set("payload", payload);
        return HandleResult.error(unknown);
      }
    }
  }

  /** {@code n} ticks {@code {"i": 1..n}}: at once then the reply, or with an interval the reply then one per interval. */
  private static HandleResult startTicks(InboundEvent event) {
    ServerChannel channel = event.channel();
    JsonNode payload = event.payload();
    int n = payload.path("n").asInt();
    boolean broadcast = payload.path("broadcast").asBoolean(false);
    JsonNode interval = payload.get("interval_ms");
    ObjectNode response = JsonNodeFactory.instance.objectNode().put("n", n);
    if (interval == null || !interval.canConvertToLong()) {
      for (int i = 1; i <= n; i++) {
        tick(channel, broadcast, i);
      }
      return HandleResult.ok(response);
    }
    response.put("interval_ms", interval.asLong());
    event.deferReply().ok(response);
    tickEvery(channel, broadcast, Duration.ofMillis(interval.asLong()), 1, n);
    return HandleResult.noReply();
  }

  private static void tickEvery(ServerChannel channel, boolean broadcast, Duration interval, int i, int n) {
    if (i > n) {
      return;
    }
    tick(channel, broadcast, i);
    channel.schedule(interval, () -> tickEvery(channel, broadcast, interval, i + 1, n));
  }

  private static void tick(ServerChannel channel, boolean broadcast, int i) {
    if (broadcast) {
      channel.broadcast("tick", Map.of("i", i));
    } else {
      channel.push("tick", Map.of("i", i));
    }
  }
}
