package io.edgeway.spi;

import java.time.Duration;

/**
 * What a bucket answered to {@link TokenBuckets#tryConsume}.
 *
 * @param consumed true when the tokens were taken: let the request through
 * @param remaining tokens left in the bucket afterwards (never negative)
 * @param retryAfter when not consumed, how long until the bucket holds the tokens asked for
 *     (for a {@code Retry-After} header); {@link Duration#ZERO} when consumed
 */
public record BucketDecision(boolean consumed, long remaining, Duration retryAfter) {

  /**
   * Validates the decision.
   *
   * @throws IllegalArgumentException when {@code remaining} is negative or {@code retryAfter} is
   *     null or negative
   */
  public BucketDecision {
    if (remaining < 0) {
      throw new IllegalArgumentException("remaining: " + remaining + " (expected: >= 0)");
    }
    if (retryAfter == null || retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter: " + retryAfter + " (expected: zero or more)");
    }
  }
}
