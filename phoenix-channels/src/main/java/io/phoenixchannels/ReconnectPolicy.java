package io.phoenixchannels;

import io.phoenixchannels.internal.Backoff;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * When a socket reconnects after a close it did not ask for: the delay before each attempt, optional jitter, an
 * optional limit on attempts, and a decision per close (code, reason, the HTTP status of a refused upgrade).
 *
 * <p>The default is phoenix.js's: 10, 50, 100, 150, 200, 250, 500, 1000, 2000 ms, then every 5000 ms, forever,
 * after any close that was not requested — including the server's close with 1000 or 1001 when it disconnects a
 * socket by id, after which phoenix.js 1.7 stays down. Immutable and thread-safe.
 *
 * <pre>{@code
 * ReconnectPolicy policy = ReconnectPolicy.builder()
 *     .delays(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
 *     .jitter(0.2)
 *     .maxAttempts(20)
 *     .reconnectIf(close -> close.httpStatus().orElse(0) != 403)
 *     .build();
 * }</pre>
 */
public final class ReconnectPolicy {
  private static final ReconnectPolicy PHOENIX_DEFAULT = builder().build();

  private final Backoff backoff;
  private final Predicate<CloseEvent> reconnectIf;

  private ReconnectPolicy(Backoff backoff, Predicate<CloseEvent> reconnectIf) {
    this.backoff = backoff;
    this.reconnectIf = reconnectIf;
  }

  /**
   * Returns phoenix.js's policy: 10, 50, 100, 150, 200, 250, 500, 1000, 2000 ms, then 5000 ms, no jitter, no limit.
   *
   * @return the default policy
   */
  public static ReconnectPolicy phoenixDefault() {
    return PHOENIX_DEFAULT;
  }

  /**
   * Returns a policy that never reconnects.
   *
   * @return the policy
   */
  public static ReconnectPolicy never() {
    return builder().reconnectIf(close -> false).build();
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
   * Decides whether and when to make reconnect attempt number {@code attempt} after {@code close}.
   *
   * @param attempt the attempt about to be made, from 1; it resets once a connection opens
   * @param close the close that the attempt would recover from
   * @return the delay, or empty to stay disconnected
   */
  public Optional<Duration> nextDelay(int attempt, CloseEvent close) {
    if (!reconnectIf.test(close)) {
      return Optional.empty();
    }
    return backoff.delay(attempt);
  }

  @Override
  public String toString() {
    return "ReconnectPolicy{" + backoff + "}";
  }

  /** Builds a {@link ReconnectPolicy}. Not thread-safe. */
  public static final class Builder extends BackoffBuilder<Builder> {
    private Predicate<CloseEvent> reconnectIf = close -> true;

    private Builder() {
      super(Backoff.millis(10, 50, 100, 150, 200, 250, 500, 1000, 2000, 5000));
    }

    /**
     * Decides per close whether to reconnect at all, for example not after an HTTP 403.
     *
     * @param reconnectIf true to reconnect after this close
     * @return this builder
     */
    public Builder reconnectIf(Predicate<CloseEvent> reconnectIf) {
      this.reconnectIf = Objects.requireNonNull(reconnectIf, "reconnectIf");
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     * @throws IllegalArgumentException for no delays, a negative delay, jitter outside [0, 1] or a negative limit
     */
    public ReconnectPolicy build() {
      return new ReconnectPolicy(backoff(), reconnectIf);
    }
  }
}
