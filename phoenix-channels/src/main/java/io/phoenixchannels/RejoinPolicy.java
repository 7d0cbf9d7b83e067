package io.phoenixchannels;

import io.phoenixchannels.internal.Backoff;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * When a channel rejoins after its join failed or timed out, or after the channel crashed on the server.
 *
 * <p>The default is phoenix.js's: 1000, 2000, 5000 ms, then every 10000 ms, and a refused join is retried like
 * any other failure. A policy can stop retrying a refused join ({@code {"reason":"unauthorized"}} will not change
 * by asking again): the channel then closes, and its close listeners hear why. Immutable and thread-safe.
 *
 * <pre>{@code
 * RejoinPolicy policy = RejoinPolicy.builder()
 *     .retryJoinErrorIf(reply -> !"unauthorized".equals(reply.response().path("reason").asText()))
 *     .build();
 * }</pre>
 */
public final class RejoinPolicy {
  private static final RejoinPolicy PHOENIX_DEFAULT = builder().build();

  private final Backoff backoff;
  private final Predicate<Reply> retryJoinErrorIf;

  private RejoinPolicy(Backoff backoff, Predicate<Reply> retryJoinErrorIf) {
    this.backoff = backoff;
    this.retryJoinErrorIf = retryJoinErrorIf;
  }

  /**
   * Returns phoenix.js's policy: 1000, 2000, 5000 ms, then 10000 ms, retrying every refused join.
   *
   * @return the default policy
   */
  public static RejoinPolicy phoenixDefault() {
    return PHOENIX_DEFAULT;
  }

  /**
   * Starts a policy from phoenix.js's defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decides when to make rejoin attempt number {@code attempt}.
   *
   * @param attempt the attempt about to be made, from 1; it resets once a join succeeds
   * @return the delay, or empty to give up (the channel closes)
   */
  public Optional<Duration> nextDelay(int attempt) {
    return backoff.delay(attempt);
  }

  /**
   * Decides whether a refused join is worth retrying.
   *
   * @param joinError the server's error reply to the join
   * @return true to retry on the backoff, false to close the channel
   */
  public boolean retriesJoinError(Reply joinError) {
    return retryJoinErrorIf.test(joinError);
  }

  @Override
  public String toString() {
    return "RejoinPolicy{" + backoff + "}";
  }

  /** Builds a {@link RejoinPolicy}. Not thread-safe. */
  public static final class Builder extends BackoffBuilder<Builder> {
    private Predicate<Reply> retryJoinErrorIf = reply -> true;

    private Builder() {
      super(Backoff.millis(1000, 2000, 5000, 10000));
    }

    /**
     * Decides whether a refused join is retried; by default every one is, as in phoenix.js.
     *
     * @param retryJoinErrorIf true to retry after this error reply
     * @return this builder
     */
    public Builder retryJoinErrorIf(Predicate<Reply> retryJoinErrorIf) {
      this.retryJoinErrorIf = Objects.requireNonNull(retryJoinErrorIf, "retryJoinErrorIf");
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     * @throws IllegalArgumentException for no delays, a negative delay, jitter outside [0, 1] or a negative limit
     */
    public RejoinPolicy build() {
      return new RejoinPolicy(backoff(), retryJoinErrorIf);
    }
  }
}
