package io.phoenixchannels.testserver;

/**
 * Hears what happens on a server as it happens — connections opening and closing, channels joining and ending —
 * for a server that logs its traffic (such as {@code phx serve}) or a test that waits for such a moment. Set it
 * with {@link PhoenixTestServer.Builder#listener(ServerListener)}. Every method does nothing by default.
 *
 * <h2>Threads</h2>
 * Methods are called on server threads, possibly concurrently for different connections; those of one channel
 * are called in order. They must not block. An exception thrown by a method is logged and ignored.
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
