package io.phoenixchannels;

/**
 * What a {@linkplain PhoenixChannel#publisher channel publisher} does with a message that arrives while its
 * subscriber's buffer is full, because the subscriber {@linkplain java.util.concurrent.Flow.Subscription#request
 * requested} fewer messages than the server sent. A Phoenix server does not slow down for a client, so a bounded
 * buffer has to give way somewhere; this chooses where.
 */
public enum OverflowPolicy {
  /** Drops the oldest buffered message to make room: a subscriber that falls behind sees the latest state. */
  DROP_OLDEST,
  /** Drops the message that arrived: a subscriber that falls behind sees what came first. */
  DROP_NEWEST,
  /**
   * Ends the subscription with {@code onError} (a {@link PhoenixException}) and drops what was buffered: for
   * subscribers that must not miss a message.
   */
  ERROR
}
