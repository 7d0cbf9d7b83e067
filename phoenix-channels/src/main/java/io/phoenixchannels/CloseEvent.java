package io.phoenixchannels;

import java.util.OptionalInt;

/**
 * The closing of a socket's transport, as the {@link PhoenixSocket#onClose close listeners} and the
 * {@link ReconnectPolicy} see it.
 *
 * @param code the WebSocket close code: 1000 normal, 1001 going away (Phoenix 1.8 disconnecting a socket by id),
 *     1006 abnormal (the connection failed, was lost, or was aborted after a heartbeat timeout), 1009 frame too
 *     large, 1011 server error, ...
 * @param reason the close reason, possibly empty, never {@code null}
 * @param requested true when the user asked for it ({@link PhoenixSocket#disconnect()}, {@link
 *     PhoenixSocket#close()}); false when the server, the network or a heartbeat timeout closed it, in which case
 *     the socket reconnects as its {@link ReconnectPolicy} says
 * @param cause what failed, when something did (a refused upgrade, a heartbeat timeout, an oversized frame), or
 *     {@code null}
 */
public record CloseEvent(int code, String reason, boolean requested, PhoenixException cause) {
  /** Normal closure. */
  public static final int NORMAL = 1000;
  /** The connection closed without a close frame, failed, or was aborted. */
  public static final int ABNORMAL = 1006;
  /** A message was too large. */
  public static final int MESSAGE_TOO_BIG = 1009;

  /**
   * Replaces a {@code null} reason by an empty one.
   *
   * @param code the close code
   * @param reason the close reason
   * @param requested whether the user asked for the close
   * @param cause what failed, or {@code null}
   */
  public CloseEvent {
    reason = reason == null ? "" : reason;
  }

  /**
   * Returns the HTTP status of a refused WebSocket upgrade or long-poll request that caused this close.
   *
   * @return the status, for example 403, or empty
   */
  public OptionalInt httpStatus() {
    return cause instanceof ConnectionException connection ? connection.httpStatus() : OptionalInt.empty();
  }
}
