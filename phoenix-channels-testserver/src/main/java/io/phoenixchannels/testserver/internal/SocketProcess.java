package io.phoenixchannels.testserver.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.Message;
import io.phoenixchannels.testserver.ChannelHandler;
import io.phoenixchannels.testserver.JoinRequest;
import io.phoenixchannels.testserver.JoinResult;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What Phoenix.Socket does for one connection: answers heartbeats, joins, leaves, routes events to channels, and
 * sends {@code unmatched topic}, {@code phx_close} and {@code phx_error} as Phoenix does. Runs only on the
 * connection's serial executor, so its state needs no locks.
 */
final class SocketProcess {
  static final String UNMATCHED_TOPIC = "unmatched topic";
  static final String MAX_CHANNELS = "max channels per socket";
  static final String JOIN_CRASHED = "join crashed";

  private final ServerCore core;
  private final ConnectionImpl connection;
  private final Map<String, ChannelProcess> channels = new LinkedHashMap<>();
  private volatile Set<String> joinedTopics = Set.of();
  private boolean ended;

  SocketProcess(ServerCore core, ConnectionImpl connection) {
    this.core = core;
    this.connection = connection;
  }

  Set<String> joinedTopics() {
    return joinedTopics;
  }

  /** One inbound frame, decoded ({@code message}) or not ({@code problem}). */
  void handle(Message message, String problem) {
    if (ended) {
      return;
    }
    if (message == null) {
      // Phoenix's socket process crashes on a frame it cannot decode, and the transport closes with 1011.
      core.logger().log(Level.WARNING, () -> "connection #" + connection.id() + ": closing with 1011 after a bad "
          + "frame: " + problem);
      connection.close(1011, "");
      return;
    }
    if (core.faults().dropsInbound(message)) {
      core.logger().log(Level.DEBUG, () -> "connection #" + connection.id() + ": fault loses " + message.event()
          + " on " + message.topic());
      return;
    }
    if ("phoenix".equals(message.topic()) && "heartbeat".equals(message.event())) {
      heartbeat(message);
      return;
    }
    switch (message.event()) {
      case "phx_join" -> join(message);
      case "phx_leave" -> leave(message);
      default -> event(message);
    }
  }

  /** The transport closed: every channel ends, quietly (Presence still tells the others). */
  void connectionClosed() {
    if (ended) {
      return;
    }
    ended = true;
    for (ChannelProcess channel : List.copyOf(channels.values())) {
      channel.terminate("connection closed");
    }
    channels.clear();
    joinedTopics = Set.of();
  }

  // ---- replies ----

  /** Sends a reply to a client message, unless a fault drops or delays it. */
  void reply(Message request, ServerMessage reply) {
    FaultsImpl faults = core.faults();
    if (faults.dropsReplyTo(request)) {
      core.logger().log(Level.DEBUG, () -> "connection #" + connection.id() + ": fault drops the reply to "
          + request.event() + " on " + request.topic());
      return;
    }
    Duration delay = faults.replyDelayFor(request);
    if (delay != null) {
      core.scheduler().schedule(() -> connection.executor().execute(() -> connection.sendOrLog(reply)),
          delay.toNanos(), TimeUnit.NANOSECONDS);
      return;
    }
    connection.send(reply);
  }

  private void reply(Message request, String joinRef, String status, Object response) {
    reply(request, ServerMessage.reply(joinRef, request.ref(), request.topic(), status, response,
        core.options().mapper()));
  }

  private static ObjectNode reason(String reason) {
    return JsonNodeFactory.instance.objectNode().put("reason", reason);
  }

  // ---- heartbeat, join, leave, events ----

  private void heartbeat(Message message) {
    if (core.faults().ignoresHeartbeats()) {
      core.logger().log(Level.DEBUG, () -> "connection #" + connection.id() + ": fault ignores a heartbeat");
      return;
    }
    connection.send(ServerMessage.reply(null, message.ref(), "phoenix", "ok", JsonNodeFactory.instance.objectNode(),
        core.options().mapper()));
  }

  private void join(Message message) {
    String topic = message.topic();
    ChannelProcess previous = channels.remove(topic);
    if (previous != null) {
      core.logger().log(Level.DEBUG, () -> "duplicate join of " + topic + " on connection #" + connection.id()
          + ": closing the join " + previous.joinRef());
      publishTopics();
      previous.terminate("duplicate join");
    }
    try {
      joinNew(message);
    } finally {
      // Phoenix queues the old join's phx_close before handling the new join, so it follows the new join's reply.
      if (previous != null) {
        connection.send(ServerMessage.control(previous.joinRef(), topic, "phx_close",
            JsonNodeFactory.instance.objectNode()));
      }
    }
  }

  private void joinNew(Message message) {
    String topic = message.topic();
    Route route = core.route(topic);
    if (route == null) {
      core.logger().log(Level.INFO, () -> "ignoring unmatched topic \"" + topic + "\" on connection #"
          + connection.id());
      joinRefused(message, reason(UNMATCHED_TOPIC));
      reply(message, null, "error", reason(UNMATCHED_TOPIC));
      return;
    }
    if (channels.size() >= core.options().maxChannelsPerSocket()) {
      core.logger().log(Level.WARNING, () -> "connection #" + connection.id() + " has "
          + channels.size() + " channels, the maximum; refusing the join of " + topic);
      joinRefused(message, reason(MAX_CHANNELS));
      reply(message, message.joinRef(), "error", reason(MAX_CHANNELS));
      return;
    }
    ChannelHandler handler;
    JoinResult result;
    ServerMessage answer;
    try {
      handler = Objects.requireNonNull(route.factory().get(), "the route's factory returned null");
      result = Objects.requireNonNull(handler.join(new JoinRequest(topic, message.payload(), message.joinRef(),
          connection)), "join returned null");
      answer = ServerMessage.reply(message.joinRef(), message.ref(), topic, result.isOk() ? "ok" : "error",
          result.response(), core.options().mapper());
    } catch (Throwable t) {
      Crashes.rethrowIfFatal(t);
      core.logger().log(Level.ERROR, "join of " + topic + " crashed on connection #" + connection.id(), t);
      joinRefused(message, reason(JOIN_CRASHED));
      reply(message, message.joinRef(), "error", reason(JOIN_CRASHED));
      return;
    }
    if (!result.isOk()) {
      joinRefused(message, answer.isBinary() ? BinaryNode.valueOf(answer.binary()) : answer.json());
      reply(message, answer);
      return;
    }
    ChannelProcess channel = new ChannelProcess(core, connection, this, topic, message.joinRef(),
        message.payload(), handler);
    channels.put(topic, channel);
    publishTopics();
    core.pubsub().subscribe(topic, channel);
    try {
      reply(message, answer);
    } catch (IllegalArgumentException e) {
      channel.crash(e, "join reply");
      return;
    }
    core.tell("joined", listener -> listener.joined(channel));
    channel.afterJoin();
  }

  /** Told before the reply goes out, so that whoever reads the reply knows the listener has heard. */
  private void joinRefused(Message message, JsonNode response) {
    JoinRequest join = new JoinRequest(message.topic(), message.payload(), message.joinRef(), connection);
    core.tell("joinRefused", listener -> listener.joinRefused(join, response));
  }

  private void leave(Message message) {
    String topic = message.topic();
    ChannelProcess channel = channels.get(topic);
    if (channel == null) {
      // Phoenix answers a leave for a topic it has no channel for with ok, carrying the client's join_ref.
      reply(message, message.joinRef(), "ok", JsonNodeFactory.instance.objectNode());
      return;
    }
    boolean current = Objects.equals(message.joinRef(), channel.joinRef()) || channel.joinRef() == null
        || (message.joinRef() == null && core.options().version().atLeast18());
    if (!current) {
      // The client raced a server close; Phoenix sends nothing, it has sent phx_close already.
      core.logger().log(Level.DEBUG, () -> "ignoring phx_leave of " + topic + " with join_ref "
          + message.joinRef() + " (current " + channel.joinRef() + ")");
      return;
    }
    reply(message, channel.joinRef(), "ok", JsonNodeFactory.instance.objectNode());
    close(channel, "left");
  }

  private void event(Message message) {
    ChannelProcess channel = channels.get(message.topic());
    if (channel == null) {
      reply(message, null, "error", reason(UNMATCHED_TOPIC));
      return;
    }
    if (core.options().version().atLeast18() && message.joinRef() != null && channel.joinRef() != null
        && !message.joinRef().equals(channel.joinRef())) {
      core.logger().log(Level.DEBUG, () -> "dropping " + message.event() + " to " + message.topic()
          + " with stale join_ref " + message.joinRef() + " (current " + channel.joinRef() + ")");
      return;
    }
    channel.handleIn(message);
  }

  // ---- channel endings ----

  /** Ends a channel with {@code phx_close}: left, or stopped by its handler. */
  void close(ChannelProcess channel, String reason) {
    if (!forget(channel)) {
      return;
    }
    connection.send(ServerMessage.control(channel.joinRef(), channel.topic(), "phx_close",
        JsonNodeFactory.instance.objectNode()));
    channel.terminate(reason);
  }

  /** Ends a crashed channel with {@code phx_error}. */
  void crashed(ChannelProcess channel) {
    if (!forget(channel)) {
      return;
    }
    ObjectNode payload = core.options().version().atLeast18() ? reason("channel_crash")
        : JsonNodeFactory.instance.objectNode();
    connection.send(ServerMessage.control(channel.joinRef(), channel.topic(), "phx_error", payload));
    channel.terminate("crashed");
  }

  private boolean forget(ChannelProcess channel) {
    if (channels.get(channel.topic()) != channel) {
      return false;
    }
    channels.remove(channel.topic());
    publishTopics();
    return true;
  }

  private void publishTopics() {
    joinedTopics = Set.copyOf(channels.keySet());
  }
}
