package io.phoenixchannels.transport;

import java.nio.ByteBuffer;

/**
 * One connection to a Phoenix socket endpoint: a WebSocket, a long-poll session, or a custom transport.
 *
 * <p>The socket calls a transport's methods on its event loop only, never concurrently, and never before
 * {@link Listener#onOpen()} for sends. Methods must not block: a send queues the frame and returns.
 *
 * <p>A transport reports to its {@link Listener} from any thread, one call at a time, in order. Every transport
 * that was {@linkplain Factory#open opened} ends with exactly one {@link Listener#onClose} (possibly after an
 * {@link Listener#onError}), unless the socket {@linkplain #abort() aborted} it: after an abort the socket
 * expects nothing more and ignores whatever still comes.
 */
public interface Transport {

  /**
   * Queues a text frame.
   *
   * @param text one encoded message
   */
  void sendText(String text);

  /**
   * Queues a binary frame.
   *
   * @param data one encoded message; the transport owns the buffer from now on
   */
  void sendBinary(ByteBuffer data);

  /**
   * Starts a clean close: frames queued before it still go out, then a close frame with this code and reason.
   * {@link Listener#onClose} follows when the peer has answered or the connection is gone.
   *
   * @param code a WebSocket close code, 1000 for a normal close
   * @param reason a short reason, possibly empty
   */
  void close(int code, String reason);

  /** Drops the connection at once, without a close handshake: for dead links and shutdown. */
  void abort();

  /**
   * Tells whether the socket should send heartbeats over this transport. Long-poll has no heartbeats: every
   * poll proves the link.
   *
   * @return true for WebSocket-like transports
   */
  default boolean needsHeartbeat() {
    return true;
  }

  /**
   * Stops taking frames from the peer until {@link #resumeReading()}: the socket calls it when the application has
   * fallen behind (more frames taken than its inbound window allows), so that TCP pushes back on the server instead
   * of the heap filling up. Frames already on their way to the listener may still arrive. The socket calls it on the
   * thread that is delivering a frame, from inside {@link Listener#onText} or {@link Listener#onBinary}, so that the
   * pause takes effect before the next read; pause and resume never overlap. Must not block. The default does
   * nothing (a transport without flow control).
   */
  default void pauseReading() {}

  /**
   * Takes frames from the peer again after {@link #pauseReading()}. Called on the socket's event loop, or on its
   * callback executor's thread when it has one (where the application's callbacks ran); must not block.
   */
  default void resumeReading() {}

  /**
   * Tells how many bytes were queued by {@link #sendText} and {@link #sendBinary} and are not yet handed to the
   * network. The socket compares it with its outbound limit after each send. Called on the socket's event loop;
   * must be cheap. The default, 0, means "not measured".
   *
   * @return the queued bytes, 0 when unknown
   */
  default long queuedBytes() {
    return 0;
  }

  /** What a transport tells its socket. Implemented by the socket; may be called from any thread. */
  interface Listener {
    /** The connection is established; sends may start. */
    void onOpen();

    /**
     * A whole text frame arrived.
     *
     * @param text the frame
     */
    void onText(String text);

    /**
     * A whole binary frame arrived.
     *
     * @param data the frame; the listener owns it
     */
    void onBinary(ByteBuffer data);

    /**
     * Something failed: the connection could not be made (for example an HTTP 403 on the upgrade, reported as a
     * {@link io.phoenixchannels.ConnectionException} with the status), or broke. An {@link #onClose} follows.
     *
     * @param error what failed
     */
    void onError(Throwable error);

    /**
     * The connection is closed; the last call for this transport.
     *
     * @param code the close code (1006 when the connection was lost without a close frame)
     * @param reason the close reason, possibly empty
     */
    void onClose(int code, String reason);
  }

  /**
   * Opens transports. A socket calls {@link #open} once per connection attempt, on its event loop.
   */
  @FunctionalInterface
  interface Factory {
    /**
     * Starts connecting and returns at once; the outcome arrives through the listener.
     *
     * @param request where and how to connect
     * @param listener where to report
     * @return the transport, connecting
     * @throws io.phoenixchannels.ConnectionException if the request cannot even be attempted with this transport
     *     (the socket reports it like a failed connection)
     */
    Transport open(TransportRequest request, Listener listener);

    /**
     * Tells whether this factory's transports carry the frames of a custom {@link io.phoenixchannels.MessageCodec}
     * as they are. WebSocket transports do. Long-poll does not: its messages travel as JSON strings inside JSON
     * bodies, binary frames only as base64 lines that Phoenix's V2 serializer alone understands, and phoenix.js
     * always speaks Phoenix's JSON serializers over it. {@code PhoenixSocket.Builder.build()} refuses a codec with
     * a factory that answers false. Called once, when the socket is built.
     *
     * @return true unless the transport can only speak Phoenix's own serializers
     */
    default boolean carriesCustomCodecs() {
      return true;
    }
  }
}
