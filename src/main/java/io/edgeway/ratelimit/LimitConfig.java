package io.edgeway.ratelimit;

import java.time.Duration;

/**
 * One token bucket limit: {@code capacity} tokens per {@code period}.
 *
 * @param capacity tokens in a full bucket (the burst); required, >= 1
 * @param period time to refill {@code capacity} tokens; required, >= 1ms
 * @param refill {@code greedy} (default: tokens trickle back continuously) or {@code intervally}
 *     (all {@code capacity} tokens come back at once when the period ends)
 * @param name the policy name in the {@code RateLimit-Policy}/{@code RateLimit} headers; default
 *     {@code default} for a single limit, else {@code <capacity>-per-<seconds>s}
 */
public record LimitConfig(Long capacity, Duration period, Refill refill, String name) {

  /** How tokens come back. */
  public enum Refill {
    GREEDY,
    INTERVALLY
  }

  public LimitConfig {
    if (capacity == null || capacity < 1 || capacity > 1_000_000_000L) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: 1..1000000000)");
    }
    if (period == null || period.toMillis() < 1) {
      throw new IllegalArgumentException("period: " + (period == null ? null : period.toMillis() + "ms")
          + " (expected: a duration >= 1ms, such as 1s or 1h)");
    }
    if (period.compareTo(Duration.ofDays(366)) > 0) {
      throw new IllegalArgumentException("period: " + period.toDays() + "d (expected: <= 366d)");
    }
    refill = refill == null ? Refill.GREEDY : refill;
    if (name != null && !name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("name: " + name + " (expected: 1-64 characters of A-Z a-z 0-9 . _ -)");
    }
  }

  /** The window in whole seconds as advertised in {@code w=} (at least 1). */
  long windowSeconds() {
    long millis = period.toMillis();
    return Math.max(1, (millis + 999) / 1000);
  }
}
