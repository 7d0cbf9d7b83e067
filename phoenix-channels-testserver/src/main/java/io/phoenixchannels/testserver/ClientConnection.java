package io.phoenixchannels.testserver;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One accepted client connection — a WebSocket, or a long-poll session — with its Phoenix socket state, its
 * recording, and its fault controls. Obtain it from {@link PhoenixTestServer#takeConnection(Duration)}, {@link
 * PhoenixTestServer#connections()} or {@link ServerChannel#connection()}.
 *
 * <h2>Recording</h2>
 * Every frame in and out is recorded in order. {@link #takeInbound(Duration)} and {@link #takeOutbound(Duration)}
 * block until the next frame of that direction that has not been taken yet arrives (each direction has its own
 * cursor); they throw {@link AssertionError} on timeout, so they read as assertions in tests. {@link #frames()} is
 * everything so far. A server built with {@code recordFrames(false)} keeps nothing, and these methods throw
 * {@link IllegalStateException}.
 *
 * <p>Every method may be called from any thread.
 */
public interface ClientConnection {
  /**
   * Returns the server-assigned id, 1 for the first connection.
   *
   * @return the id
   */
  long id();

  /**
   * Returns what the client presented when it connected.
   *
   * @return the request
   */
  ConnectRequest request();

  /**
   * Returns the transport.
   *
   * @return WebSocket or long-poll
   */
  TransportKind transport();

  /**
   * Returns the serializer version in use.
   *
   * @return {@code "2.0.0"} or {@code "1.0.0"}
   */
  String vsn();

  /**
   * Returns the socket id the connect handler assigned.
   *
   * @return the id, or empty for an anonymous socket
   */
  Optional<String> socketId();

  /**
   * Returns the assigns the connect handler gave.
   *
   * @return an immutable map
   */
  Map<String, Object> assigns();

  /**
   * Returns the topics this connection has joined now.
   *
   * @return a snapshot
   */
  Set<String> joinedTopics();

  /**
   * Tells whether the connection is still open.
   *
   * @return false once it closed
   */
  boolean isOpen();

  /**
   * Waits for the connection to close.
   *
   * @param timeout how long to wait
   * @return how it closed
   * @throws AssertionError if it is still open after the timeout
   */
  ConnectionClose awaitClose(Duration timeout);

  /**
   * Takes the next inbound (client to server) frame not taken yet, waiting for it.
   *
   * @param timeout how long to wait
   * @return the frame
   * @throws AssertionError if none arrives in time
   */
  RecordedFrame takeInbound(Duration timeout);

  /**
   * Takes inbound frames until one with this event arrives, skipping others (heartbeats, for example).
   *
   * @param event the event to wait for
   * @param timeout how long to wait in total
   * @return the frame
   * @throws AssertionError if none arrives in time
   */
  RecordedFrame takeInbound(String event, Duration timeout);

  /**
   * Takes the next outbound (server to client) frame not taken yet, waiting for it.
   *
   * @param timeout how long to wait
   * @return the frame
   * @throws AssertionError if none arrives in time
   */
  RecordedFrame takeOutbound(Duration timeout);

  /**
   * Takes outbound frames until one with this event arrives, skipping others.
   *
   * @param event the event to wait for, such as {@code "phx_reply"}
   * @param timeout how long to wait in total
   * @return the frame
   * @throws AssertionError if none arrives in time
   */
  RecordedFrame takeOutbound(String event, Duration timeout);

  /**
   * Asserts that no inbound frame beyond those taken arrives within a quiet period (heartbeats included).
   *
   * @param quietPeriod how long to watch
   * @throws AssertionError naming the first extra frame
   */
  void assertNoMoreInbound(Duration quietPeriod);

  /**
   * Asserts that no outbound frame beyond those taken is sent within a quiet period.
   *
   * @param quietPeriod how long to watch
   * @throws AssertionError naming the first extra frame
   */
  void assertNoMoreOutbound(Duration quietPeriod);

  /**
   * Returns every frame recorded so far, in and out, in order.
   *
   * @return a snapshot
   */
  List<RecordedFrame> frames();

  /**
   * Closes the connection from the server side with any close code a server may send (1000-1003, 1007-1014,
   * 3000-4999), as a close frame. The server then waits for the client's close answer, whatever the code, and ends
   * the TCP connection after it (or after 5 s without one), so a client reads the code even while it is still
   * writing. A long-poll session simply ends; as in Phoenix, a poll it holds is answered (204) only when its window
   * passes, so the client learns of the end from its next POST (410) or from the poll after that one. Its channels
   * end; Presence sends the leaves.
   *
   * @param code the close code
   * @param reason the reason, possibly empty
   */
  void close(int code, String reason);

  /** Cuts the connection abruptly: the TCP connection closes with no WebSocket close frame (the client sees 1006). */
  void cut();
}
