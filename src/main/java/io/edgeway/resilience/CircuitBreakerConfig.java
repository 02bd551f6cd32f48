package io.edgeway.resilience;

import io.edgeway.spi.Percentage;
import java.time.Duration;
import java.util.List;

/**
 * Configuration of the {@code circuit-breaker} filter.
 *
 * @param failureRate open when this share of the calls in the window failed, once
 *     {@code minimumCalls} calls were seen; default 50%
 * @param minimumCalls calls needed in the window before the rates are judged; default 20
 * @param window the rolling window of the rates; default 10s
 * @param consecutiveFailures open after this many failures in a row, whatever the rate; default
 *     none (only the rates)
 * @param slowCall open when this share of the calls was slower than a threshold; default none
 * @param openFor how long the breaker stays open before it lets probes through; default 30s
 * @param halfOpenCalls probes let through while half-open; all must succeed to close; default 3
 * @param failureStatuses upstream response statuses counted as failures (5xx only); default
 *     500, 502, 503, 504
 * @param fallback what to answer while open; default a 503 {@code circuit_open} problem
 */
public record CircuitBreakerConfig(
    Percentage failureRate,
    Integer minimumCalls,
    Duration window,
    Integer consecutiveFailures,
    SlowCallConfig slowCall,
    Duration openFor,
    Integer halfOpenCalls,
    List<Integer> failureStatuses,
    FallbackConfig fallback) {

  public CircuitBreakerConfig {
    failureRate = failureRate == null ? new Percentage(50) : failureRate;
    if (failureRate.percent() <= 0) {
      throw new IllegalArgumentException("failure-rate: " + failureRate + " (expected: a percentage > 0%)");
    }
    minimumCalls = minimumCalls == null ? 20 : Checks.range("minimum-calls", minimumCalls, 1, 1_000_000);
    window = window == null ? Duration.ofSeconds(10) : Checks.atLeast("window", window, Duration.ofMillis(100));
    if (consecutiveFailures != null) {
      Checks.range("consecutive-failures", consecutiveFailures, 1, 1_000_000);
    }
    openFor = openFor == null ? Duration.ofSeconds(30) : Checks.atLeast("open-for", openFor, Duration.ofMillis(1));
    halfOpenCalls = halfOpenCalls == null ? 3 : Checks.range("half-open-calls", halfOpenCalls, 1, 10_000);
    failureStatuses = failureStatuses == null ? List.of(500, 502, 503, 504) : List.copyOf(failureStatuses);
    for (int i = 0; i < failureStatuses.size(); i++) {
      int s = failureStatuses.get(i);
      if (s < 500 || s > 599) {
        throw new IllegalArgumentException("failure-statuses[" + i + "]: " + s
            + " (expected: a 5xx status; client errors never count as upstream failures)");
      }
    }
  }

  /**
   * The slow-call trigger.
   *
   * @param threshold a call that took at least this long (until the response headers) is slow
   * @param rate open when this share of the calls in the window was slow; default 100%
   */
  public record SlowCallConfig(Duration threshold, Percentage rate) {
    public SlowCallConfig {
      if (threshold == null) {
        throw new IllegalArgumentException("threshold: missing (expected: a duration such as 2s)");
      }
      Checks.atLeast("threshold", threshold, Duration.ofMillis(1));
      rate = rate == null ? new Percentage(100) : rate;
      if (rate.percent() <= 0) {
        throw new IllegalArgumentException("rate: " + rate + " (expected: a percentage > 0%)");
      }
    }
  }
}
