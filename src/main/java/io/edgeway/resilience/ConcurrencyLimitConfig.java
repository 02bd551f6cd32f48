package io.edgeway.resilience;

/**
 * Configuration of the {@code concurrency-limit} filter (a bulkhead).
 *
 * @param max requests of the route in progress at once, across all event loops; from the moment
 *     they pass the filter until their response is written; required
 */
public record ConcurrencyLimitConfig(Integer max) {
  public ConcurrencyLimitConfig {
    if (max == null) {
      throw new IllegalArgumentException("max: missing (expected: an integer from 1 to 1000000)");
    }
    Checks.range("max", max, 1, 1_000_000);
  }
}
