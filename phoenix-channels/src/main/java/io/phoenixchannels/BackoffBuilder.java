package io.phoenixchannels;

import io.phoenixchannels.internal.Backoff;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The backoff settings that {@link ReconnectPolicy.Builder} and {@link RejoinPolicy.Builder} share. Not
 * thread-safe.
 *
 * @param <B> the concrete builder, so that calls chain
 */
abstract class BackoffBuilder<B extends BackoffBuilder<B>> {
  private List<Duration> delays;
  private double jitter;
  private int maxAttempts;

  BackoffBuilder(List<Duration> defaultDelays) {
    this.delays = defaultDelays;
  }

  /**
   * Sets the delay before attempt 1, 2, ...; the last one repeats for every later attempt.
   *
   * @param delays at least one delay, none negative
   * @return this builder
   */
  public B delays(Duration... delays) {
    this.delays = List.copyOf(Arrays.asList(delays));
    return self();
  }

  /**
   * Spreads each delay uniformly over {@code delay × (1 ± fraction)}, so that many clients cut off together do not
   * come back together.
   *
   * @param fraction between 0 (none, the default) and 1
   * @return this builder
   */
  public B jitter(double fraction) {
    this.jitter = fraction;
    return self();
  }

  /**
   * Limits the attempts in a row; when they are used up, the socket stays closed (its error listeners hear why)
   * or the channel closes (its close listeners hear why).
   *
   * @param maxAttempts the limit, or 0 for none (the default)
   * @return this builder
   */
  public B maxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
    return self();
  }

  /**
   * Checks and freezes the backoff settings.
   *
   * @throws IllegalArgumentException for no delays, a negative delay, jitter outside [0, 1] or a negative limit
   */
  Backoff backoff() {
    return new Backoff(delays, jitter, maxAttempts);
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
