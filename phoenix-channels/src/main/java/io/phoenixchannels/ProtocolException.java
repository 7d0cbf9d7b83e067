package io.phoenixchannels;

/**
 * The server sent something this client cannot use: a frame that is not valid JSON, a message of the wrong
 * shape, an unknown binary kind, a frame over the configured size limit. The frame is dropped and reported to
 * the error listeners; the socket stays up (except for an oversized frame, which closes the transport with 1009
 * and reconnects).
 */
public final class ProtocolException extends PhoenixException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong with the frame
   */
  public ProtocolException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what was wrong with the frame
   * @param cause the parser's exception
   */
  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
