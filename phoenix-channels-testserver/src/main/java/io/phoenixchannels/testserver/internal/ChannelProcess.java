package io.phoenixchannels.testserver.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.Message;
import io.phoenixchannels.testserver.ChannelHandler;
import io.phoenixchannels.testserver.ClientConnection;
import io.phoenixchannels.testserver.HandleResult;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.ServerChannel;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One joined channel: a Phoenix channel process. Handler callbacks run on the connection's serial executor;
 * the {@link ServerChannel} methods may be called from any thread.
 */
public final class ChannelProcess implements ServerChannel {
  private final ServerCore core;
  private final ConnectionImpl connection;
  private final SocketProcess socket;
  private final String topic;
  private final String joinRef;
  private final JsonNode joinParams;
  private final ChannelHandler handler;
  private volatile boolean joined = true;

  ChannelProcess(ServerCore core, ConnectionImpl connection, SocketProcess socket, String topic, String joinRef,
      JsonNode joinParams, ChannelHandler handler) {
    this.core = core;
    this.connection = connection;
    this.socket = socket;
    this.topic = topic;
    this.joinRef = joinRef;
    this.joinParams = joinParams;
    this.handler = handler;
  }

  // ---- on the connection's executor ----

  void afterJoin() {
    try {
      handler.afterJoin(this);
    } catch (Throwable t) {
      Crashes.rethrowIfFatal(t);
      crash(t, "afterJoin");
    }
  }

  void handleIn(Message message) {
    HandleResult result;
    ServerMessage reply = null;
    try {
      result = Objects.requireNonNull(handler.handleIn(new InboundEventImpl(this, message)),
          "handleIn returned null (use HandleResult.noReply())");
      if (result.replyStatus().isPresent()) {
        reply = ServerMessage.reply(joinRef, message.ref(), topic, result.replyStatus().get(), result.response(),
            core.options().mapper());
      }
    } catch (Throwable t) {
      Crashes.rethrowIfFatal(t);
      crash(t, "handleIn(\"" + message.event() + "\")");
      return;
    }
    if (reply != null && !sendReply(message, reply)) {
      return;
    }
    if (result.stops()) {
      socket.close(this, "stopped");
    }
  }

  /** Sends a reply from this channel; a reply that cannot be encoded for the client crashes the channel. */
  boolean sendReply(Message request, ServerMessage reply) {
    try {
      socket.reply(request, reply);
      return true;
    } catch (IllegalArgumentException e) {
      crash(e, "reply to \"" + request.event() + "\"");
      return false;
    }
  }

  void crash(Throwable t, String where) {
    core.logger().log(Level.ERROR, "channel " + topic + " (join_ref " + joinRef + ") on connection #"
        + connection.id() + " crashed in " + where + "; sending phx_error", t);
    socket.crashed(this);
  }

  /** Ends the channel: no more frames, Presence entries removed (the others get the leave diff). */
  void terminate(String reason) {
    if (!joined) {
      return;
    }
    joined = false;
    core.pubsub().unsubscribe(topic, this);
    core.presence().untrackAll(this);
    try {
      handler.terminate(this, reason);
    } catch (Throwable t) {
      Crashes.rethrowIfFatal(t);
      core.logger().log(Level.WARNING, "terminate of channel " + topic + " threw; ignored", t);
    }
    core.tell("channelEnded", listener -> listener.channelEnded(this, reason));
  }

  /** A broadcast for this channel's topic, from any thread. */
  void deliverBroadcast(ServerMessage message) {
    if (joined) {
      connection.sendOrLog(message);
    }
  }

  ConnectionImpl connectionImpl() {
    return connection;
  }

  // ---- ServerChannel ----

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public String joinRef() {
    return joinRef;
  }

  @Override
  public JsonNode joinParams() {
    return joinParams.deepCopy();
  }

  @Override
  public ClientConnection connection() {
    return connection;
  }

  @Override
  public PhoenixTestServer server() {
    return core.api();
  }

  @Override
  public boolean isJoined() {
    return joined;
  }

  @Override
  public void push(String event, Object payload) {
    Objects.requireNonNull(event, "event");
    ServerMessage message = ServerMessage.push(joinRef, topic, event, payload, core.options().mapper());
    if (!joined) {
      core.logger().log(Level.DEBUG, () -> "channel " + topic + " has ended; not pushing " + event);
      return;
    }
    connection.send(message);
  }

  @Override
  public void broadcast(String event, Object payload) {
    Objects.requireNonNull(event, "event");
    core.pubsub().broadcast(ServerMessage.broadcast(topic, event, payload, core.options().mapper()), null);
  }

  @Override
  public void broadcastFrom(String event, Object payload) {
    Objects.requireNonNull(event, "event");
    core.pubsub().broadcast(ServerMessage.broadcast(topic, event, payload, core.options().mapper()), this);
  }

  @Override
  public JsonNode track(String key, Object meta) {
    Objects.requireNonNull(key, "key");
    if (!joined) {
      throw new IllegalStateException("channel " + topic + " has ended; cannot track " + key);
    }
    return core.presence().track(this, topic, key, meta);
  }

  @Override
  public JsonNode updatePresence(String key, Object meta) {
    Objects.requireNonNull(key, "key");
    return core.presence().update(this, topic, key, meta);
  }

  @Override
  public void untrack(String key) {
    core.presence().untrack(this, topic, key);
  }

  @Override
  public JsonNode presenceList() {
    return core.presence().list(topic);
  }

  @Override
  public void pushPresenceState() {
    push("presence_state", presenceList());
  }

  @Override
  public void schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    core.scheduler().schedule(() -> connection.executor().execute(() -> {
      if (!joined) {
        return;
      }
      try {
        task.run();
      } catch (Throwable t) {
        Crashes.rethrowIfFatal(t);
        crash(t, "a scheduled task");
      }
    }), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void stop() {
    connection.executor().executeOrRun(() -> socket.close(this, "stopped"));
  }

  @Override
  public String toString() {
    return "ServerChannel{" + topic + ", join_ref " + joinRef + ", connection #" + connection.id()
        + (joined ? "" : ", ended") + "}";
  }
}
