package io.phoenixchannels;

import java.util.OptionalInt;

/**
 * A transport could not be established or failed: refused upgrade (for example HTTP 403 from a connect handler
 * that refused the params or the token), unreachable host, TLS failure, an auth token the server did not accept.
 * The socket reports it to its error listeners and reconnects as its {@link ReconnectPolicy} says.
 */
public final class ConnectionException extends PhoenixException {
  private static final long serialVersionUID = 1L;

  /** The HTTP status of a refused upgrade, or -1. */
  private final int httpStatus;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param httpStatus the HTTP status of a refused upgrade, or -1 when there was none
   * @param cause the underlying failure, or {@code null}
   */
  public ConnectionException(String message, int httpStatus, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
  }

  /**
   * Returns the HTTP status of a refused WebSocket upgrade or long-poll request, when there was one.
   *
   * @return the status, for example 403, or empty
   */
  public OptionalInt httpStatus() {
    return httpStatus < 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }
}
