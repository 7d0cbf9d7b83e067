package io.phoenixchannels;

import java.time.Duration;

/** Completes a {@link Push#toFuture() push's future} when no reply arrived within the push's timeout. */
public final class PushTimeoutException extends PhoenixException {
  private static final long serialVersionUID = 1L;

  private final transient Duration timeout;

  /**
   * Creates the exception.
   *
   * @param topic the channel topic
   * @param event the pushed event
   * @param timeout the timeout that ran out
   */
  public PushTimeoutException(String topic, String event, Duration timeout) {
    super("no reply to '" + event + "' on '" + topic + "' within " + timeout.toMillis() + " ms");
    this.timeout = timeout;
  }

  /**
   * Returns the timeout that ran out.
   *
   * @return the push's timeout
   */
  public Duration timeout() {
    return timeout;
  }
}
