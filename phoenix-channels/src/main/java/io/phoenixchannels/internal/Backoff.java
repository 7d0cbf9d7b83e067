package io.phoenixchannels.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Stepped backoff: the n-th attempt waits the n-th step, and every attempt after the steps the last one, with
 * optional jitter and an optional limit on attempts. Immutable.
 */
public final class Backoff {
  private final List<Duration> steps;
  private final double jitter;
  private final int maxAttempts;

  /**
   * @param steps the delays of attempts 1, 2, ...; the last one repeats
   * @param jitter a fraction in [0, 1]: each delay is spread uniformly over delay × (1 ± jitter)
   * @param maxAttempts the number of attempts allowed, or 0 for no limit
   */
  public Backoff(List<Duration> steps, double jitter, int maxAttempts) {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a backoff needs at least one delay");
    }
    for (Duration step : steps) {
      if (step.isNegative()) {
        throw new IllegalArgumentException("backoff delays cannot be negative: " + step);
      }
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter is a fraction between 0 and 1, got " + jitter);
    }
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("maxAttempts cannot be negative (0 means no limit), got " + maxAttempts);
    }
    this.steps = List.copyOf(steps);
    this.jitter = jitter;
    this.maxAttempts = maxAttempts;
  }

  /** The delay before attempt {@code attempt} (1-based), or empty when the attempts are used up. */
  public Optional<Duration> delay(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, got " + attempt);
    }
    if (maxAttempts > 0 && attempt > maxAttempts) {
      return Optional.empty();
    }
    Duration base = steps.get(Math.min(attempt, steps.size()) - 1);
    if (jitter == 0) {
      return Optional.of(base);
    }
    double factor = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return Optional.of(Duration.ofNanos(Math.round(base.toNanos() * factor)));
  }

  public List<Duration> steps() {
    return steps;
  }

  public double jitter() {
    return jitter;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  @Override
  public String toString() {
    return "delays=" + steps + ", jitter=" + jitter + ", maxAttempts=" + (maxAttempts == 0 ? "unlimited" : maxAttempts);
  }

  /** Reads steps given in milliseconds. */
  public static List<Duration> millis(long... steps) {
    return java.util.Arrays.stream(steps).mapToObj(Duration::ofMillis).collect(Collectors.collectingAndThen(Collectors.toList(), Collections::unmodifiableList));
  }
}
