package io.phoenixchannels.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.Map;

/**
 * The reference app's {@code game:*} channel: bursts of pushes or broadcasts, and ticks on a timer. One instance
 * per join.
 *
 * <p>Beyond the app behind the conformance traces, it hosts the board game of {@code phx demo --gui}: a join whose
 * params name a {@code "player"} (with a {@code "color"} and an {@code "x"}, {@code "y"} position) tracks that
 * player in Presence with the meta {@code {"color","x","y"}}, and the event {@code move} {@code {"x","y"}} moves
 * the player's piece: an ok reply with the position, then the Presence diff that tells every player. Joins
 * without a player (the traces') behave as before.
 */
final class ReferenceGameChannel implements ChannelHandler {
  static final String PLAYER = "player";

  private String player;
  private JsonNode trackedMeta;

  @Override
  public JoinResult join(JoinRequest join) {
    return JoinResult.ok(Map.of("joined", join.topic(), "params", join.params()));
  }

  @Override
  public void afterJoin(ServerChannel channel) {
    JsonNode params = channel.joinParams();
    JsonNode name = params.get(PLAYER);
    if (name == null || !name.isTextual()) {
      return;
    }
    player = name.asText();
    ObjectNode meta = JsonNodeFactory.instance.objectNode();
    meta.set("color", params.path("color").isTextual() ? params.get("color") : TextNode.valueOf("#808080"));
    meta.put("x", params.path("x").asInt(0));
    meta.put("y", params.path("y").asInt(0));
    trackedMeta = channel.track(player, meta);
    channel.pushPresenceState();
  }

  @Override
  public HandleResult handleIn(InboundEvent event) {
    JsonNode payload = event.payload();
    switch (event.event()) {
      case "echo":
        return HandleResult.ok(payload);
      case "start_ticks":
        return startTicks(event);
      case "move":
        return move(event);
      default: {
        ObjectNode unknown = JsonNodeFactory.instance.objectNode();
        unknown.put("reason", "unknown event");
        unknown.put("event", event.event());
        unknown.set("payload", payload);
        return HandleResult.error(unknown);
      }
    }
  }

  /** The reply goes first, then the Presence diff with the new position, as {@code update_presence} in the room. */
  private HandleResult move(InboundEvent event) {
    if (player == null) {
      return HandleResult.error(Map.of("reason", "not a player (join with a player param to move)"));
    }
    JsonNode payload = event.payload();
    if (!payload.path("x").canConvertToInt() || !payload.path("y").canConvertToInt()) {
      return HandleResult.error(Map.of("reason", "move needs integers x and y"));
    }
    int x = payload.get("x").asInt();
    int y = payload.get("y").asInt();
    event.deferReply().ok(Map.of("x", x, "y", y));
    ObjectNode moved = trackedMeta.deepCopy();
    moved.remove("phx_ref");
    moved.remove("phx_ref_prev");
    moved.put("x", x);
    moved.put("y", y);
    trackedMeta = event.channel().updatePresence(player, moved);
    return HandleResult.noReply();
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
