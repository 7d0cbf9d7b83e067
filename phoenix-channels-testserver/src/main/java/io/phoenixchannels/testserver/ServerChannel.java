package io.phoenixchannels.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * One joined channel on the server: the topic a client joined with a join_ref, served by one {@link ChannelHandler}
 * instance. It ends when the client leaves, the handler stops or throws, a second join of the topic replaces it, or
 * the connection closes; after that, pushes and Presence calls through it are ignored, as messages to a dead
 * Phoenix channel process are.
 *
 * <p>Every method may be called from any thread. Frames go out in the order the calls are made.
 */
public interface ServerChannel {
  /**
   * Returns the topic.
   *
   * @return the topic
   */
  String topic();

  /**
   * Returns the join reference of the join that created this channel.
   *
   * @return the join_ref, or {@code null} when the client sent none (V1)
   */
  String joinRef();

  /**
   * Returns the join params.
   *
   * @return the payload of the {@code phx_join}
   */
  JsonNode joinParams();

  /**
   * Returns the connection this channel belongs to.
   *
   * @return the connection
   */
  ClientConnection connection();

  /**
   * Returns the server, for example to {@linkplain PhoenixTestServer#disconnect(String) disconnect} a socket id.
   *
   * @return the server
   */
  PhoenixTestServer server();

  /**
   * Tells whether the channel is still joined.
   *
   * @return false once it ended
   */
  boolean isJoined();

  /**
   * Pushes an event to this channel's client: {@code [join_ref, null, topic, event, payload]}, or a binary frame
   * (kind 0) for a {@code byte[]} payload over V2.
   *
   * @param event the event name
   * @param payload anything Jackson can write; {@code byte[]}, {@link java.nio.ByteBuffer} or {@link
   *     com.fasterxml.jackson.databind.node.BinaryNode} for binary
   * @throws IllegalArgumentException if Jackson cannot write the payload, or it is binary and the client uses V1
   */
  void push(String event, Object payload);

  /**
   * Broadcasts to every client that joined this topic, this one included: {@code [null, null, topic, event,
   * payload]} ({@code broadcast!}).
   *
   * @param event the event name
   * @param payload anything Jackson can write, or bytes for a binary broadcast (kind 2)
   */
  void broadcast(String event, Object payload);

  /**
   * Broadcasts to every client that joined this topic except this channel's ({@code broadcast_from!}).
   *
   * @param event the event name
   * @param payload anything Jackson can write, or bytes
   */
  void broadcastFrom(String event, Object payload);

  /**
   * Tracks a presence under this channel's topic, as {@code Presence.track(socket, key, meta)}: the meta gets a
   * fresh {@code phx_ref}, and every client on the topic gets a {@code presence_diff} before this method returns.
   * The entry goes away when the channel ends.
   *
   * @param key the presence key, usually a user id
   * @param meta a JSON object (anything Jackson writes as one)
   * @return the meta as stored, with its {@code phx_ref}
   * @throws IllegalStateException if this channel already tracks the key
   */
  JsonNode track(String key, Object meta);

  /**
   * Replaces the meta of a presence this channel tracks, as {@code Presence.update}: the new meta gets a new
   * {@code phx_ref} and {@code phx_ref_prev}, and the diff leaves the old meta and joins the new one.
   *
   * @param key the presence key
   * @param meta the new meta, a JSON object
   * @return the meta as stored
   * @throws IllegalStateException if this channel does not track the key
   */
  JsonNode updatePresence(String key, Object meta);

  /**
   * Stops tracking a presence, with a {@code presence_diff} leave; does nothing if not tracked.
   *
   * @param key the presence key
   */
  void untrack(String key);

  /**
   * Returns the presences of this channel's topic as {@code Presence.list} gives them: {@code {key: {"metas":
   * [meta, ...]}}}.
   *
   * @return a snapshot
   */
  JsonNode presenceList();

  /**
   * Pushes {@code presence_state} with {@link #presenceList()} to this channel's client, as Phoenix apps do after
   * tracking.
   */
  void pushPresenceState();

  /**
   * Runs a task on this connection's executor after a delay, if the channel is still joined then (a Phoenix
   * {@code Process.send_after} to itself). A task that throws crashes the channel.
   *
   * @param delay the delay
   * @param task the task
   */
  void schedule(Duration delay, Runnable task);

  /**
   * Stops the channel from the server side: the client gets {@code phx_close}. Does nothing if already ended.
   */
  void stop();
}
