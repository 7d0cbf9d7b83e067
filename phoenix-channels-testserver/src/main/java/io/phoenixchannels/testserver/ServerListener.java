package io.phoenixchannels.testserver;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Hears what happens on a server as it happens — connections opening and closing, joins accepted and refused,
 * channels ending — for a server that logs its traffic (such as {@code phx serve}) or a test that waits for such a
 * moment. Set it with {@link PhoenixTestServer.Builder#listener(ServerListener)}. Every method does nothing by
 * default.
 *
 * <h2>Threads</h2>
 * Methods are called on server threads, possibly concurrently for different connections; those of one channel
 * are called in order, and so are the joins (accepted or refused) of one connection. They must not block. An
 * exception thrown by a method is logged and ignored.
 */
public interface ServerListener {

  /**
   * A client connected: its connect handler accepted it and the WebSocket or long-poll session is open.
   *
   * @param connection the new connection
   */
  default void connected(ClientConnection connection) {
  }

  /**
   * The connect handler refused a client; it gets HTTP 403.
   *
   * @param request what the client presented
   */
  default void refused(ConnectRequest request) {
  }

  /**
   * A channel joined: its handler accepted the join and the ok reply was sent.
   *
   * @param channel the joined channel
   */
  default void joined(ServerChannel channel) {
  }

  /**
   * A join was refused: the server answered it with an error reply. That is the channel handler's {@link
   * JoinResult#error}, {@code {"reason":"unmatched topic"}} for a topic no route matches, {@code {"reason":"join
   * crashed"}} when the handler threw, or {@code {"reason":"max channels per socket"}}. Called just before the reply
   * is sent, so a client that read the reply knows the listener has heard.
   *
   * @param join the refused join: topic, params, join_ref and connection
   * @param response the error reply's response, such as {@code {"reason":"unauthorized"}} (a {@link
   *     com.fasterxml.jackson.databind.node.BinaryNode} for a binary reply)
   */
  default void joinRefused(JoinRequest join, JsonNode response) {
  }

  /**
   * A channel ended: left, stopped, crashed, replaced by a duplicate join, or its connection closed.
   *
   * @param channel the channel, no longer joined
   * @param reason {@code "left"}, {@code "stopped"}, {@code "crashed"}, {@code "duplicate join"} or
   *     {@code "connection closed"}
   */
  default void channelEnded(ServerChannel channel, String reason) {
  }

  /**
   * A connection closed, by either side.
   *
   * @param connection the connection
   * @param close how it closed
   */
  default void disconnected(ClientConnection connection, ConnectionClose close) {
  }
}
