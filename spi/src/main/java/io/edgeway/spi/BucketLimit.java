package io.edgeway.spi;

import java.time.Duration;

/**
 * A token bucket's limit: it holds at most {@code capacity} tokens and refills {@code capacity}
 * tokens per {@code period}, continuously (greedy refill: a bucket of 60 per minute gains one
 * token a second). Build it once, in {@link GatewayFilterFactory#create}, from the filter's
 * configuration.
 *
 * @param capacity the most tokens the bucket holds, and what it refills per period; at least 1
 * @param period the refill period; at least 1 ms
 */
public record BucketLimit(long capacity, Duration period) {

  /**
   * Validates the limit.
   *
   * @throws IllegalArgumentException when capacity or period is out of range, in the
   *     {@code name: value (expected: ...)} form, so a config record may let it through as is
   */
  public BucketLimit {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
    }
    if (period == null || period.toMillis() < 1) {
      throw new IllegalArgumentException("period: " + period + " (expected: at least 1ms)");
    }
  }
}
