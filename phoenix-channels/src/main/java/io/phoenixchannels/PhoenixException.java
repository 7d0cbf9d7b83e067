package io.phoenixchannels;

/**
 * The base of this library's exceptions. Error listeners ({@link PhoenixSocket#onError}) receive these, and
 * futures complete exceptionally with them.
 */
public class PhoenixException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong, in words a user can act on
   */
  public PhoenixException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a cause.
   *
   * @param message what went wrong, in words a user can act on
   * @param cause the underlying failure
   */
  public PhoenixException(String message, Throwable cause) {
    super(message, cause);
  }
}
