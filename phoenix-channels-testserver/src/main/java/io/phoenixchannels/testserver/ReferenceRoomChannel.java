package io.phoenixchannels.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/** The reference app's {@code room:*} channel; see {@code conformance/README.md}. One instance per join. */
final class ReferenceRoomChannel implements ChannelHandler {
  private JsonNode trackedMeta;

  @Override
  public JoinResult join(JoinRequest join) {
    if (join.topic().startsWith("room:private")) {
      return JoinResult.refuse("unauthorized");
    }
    if (join.topic().equals("room:crash_on_join")) {
      throw new IllegalStateException("room:crash_on_join raises in join/3 on purpose");
    }
    return JoinResult.ok(Map.of("joined", join.topic(), "params", join.params()));
  }

  @Override
  public void afterJoin(ServerChannel channel) {
    JsonNode presence = channel.joinParams().get("presence");
    if (presence != null && presence.isBoolean() && !presence.booleanValue()) {
      return;
    }
    JsonNode name = channel.joinParams().get("name");
    ObjectNode meta = JsonNodeFactory.instance.objectNode();
    meta.set("name", name == null ? NullNode.getInstance() : name);
    meta.put("online_at", System.currentTimeMillis());
    trackedMeta = channel.track(userId(channel), meta);
    channel.pushPresenceState();
  }

  @Override
  public HandleResult handleIn(InboundEvent event) throws IOException {
    ServerChannel channel = event.channel();
    JsonNode payload = event.payload();
    switch (event.event()) {
      case "echo":
        return HandleResult.ok(payload);
      case "error_reply":
        return HandleResult.error(Map.of("reason", "bad"));
      case "noreply":
        return HandleResult.noReply();
      case "slow": {
        DeferredReply reply = event.deferReply();
        channel.schedule(Duration.ofMillis(payload.path("ms").asLong()), () -> reply.ok(payload));
        return HandleResult.noReply();
      }
      case "broadcast":
        channel.broadcast("broadcasted", payload);
        return HandleResult.ok();
      case "broadcast_from":
        channel.broadcastFrom("broadcasted", payload);
        return HandleResult.ok();
      case "push_many": {
        int n = payload.path("n").asInt();
        for (int i = 1; i <= n; i++) {
          channel.push("item", Map.of("i", i));
        }
        return HandleResult.ok(Map.of("n", n));
      }
      case "crash":
        throw new IllegalStateException("the room channel crashes on purpose (\"crash\" event)");
      case "stop":
        return HandleResult.stop();
      case "kick":
        return HandleResult.ok(Map.of("kicked", true)).andStop();
      case "binary_echo":
        return HandleResult.ok(payload.binaryValue());
      case "binary_push": {
        int size = payload.path("size").asInt();
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
          bytes[i] = (byte) i;
        }
        channel.push("binary_item", bytes);
        return HandleResult.ok(Map.of("pushed", size));
      }
      case "binary_broadcast": {
        int size = payload.path("size").asInt();
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
          bytes[i] = (byte) (255 - i);
        }
        channel.broadcast("binary_bcast", bytes);
        return HandleResult.ok(Map.of("broadcast", size));
      }
      case "disconnect_me":
        // Queued on this connection, so the ok reply goes out before the close.
        channel.connection().socketId().ifPresent(id -> channel.server().disconnect(id));
        return HandleResult.ok(Map.of("disconnecting", userId(channel)));
      case "update_presence":
        return updatePresence(event);
      case "whoami": {
        if (!channel.server().version().atLeast18()) {
          // Only the 1.8 app has it: the 1.7 one answers it as any unknown event.
          return unknownEvent(event);
        }
        ObjectNode who = JsonNodeFactory.instance.objectNode();
        who.put("user_id", userId(channel));
        Object token = channel.connection().assigns().get(ReferenceApp.AUTH_TOKEN);
        who.put("auth_token", token == null ? null : token.toString());
        return HandleResult.ok(who);
      }
      default:
        return unknownEvent(event);
    }
  }

  private static HandleResult unknownEvent(InboundEvent event) {
    ObjectNode unknown = JsonNodeFactory.instance.objectNode();
    unknown.put("reason", "unknown event");
    unknown.put("event", event.event());
    unknown.set("payload", event.payload());
    return HandleResult.error(unknown);
  }

  /** The reply goes first, then the diff, as the real app's traces show. */
  private HandleResult updatePresence(InboundEvent event) {
    event.deferReply().ok(Map.of());
    if (trackedMeta == null) {
      return HandleResult.noReply();
    }
    ObjectNode merged = trackedMeta.deepCopy();
    merged.remove("phx_ref");
    merged.remove("phx_ref_prev");
    for (Map.Entry<String, JsonNode> field : event.payload().properties()) {
      merged.set(field.getKey(), field.getValue());
    }
    trackedMeta = event.channel().updatePresence(userId(event.channel()), merged);
    return HandleResult.noReply();
  }

  private static String userId(ServerChannel channel) {
    return String.valueOf(channel.connection().assigns().get(ReferenceApp.USER_ID));
  }
}
