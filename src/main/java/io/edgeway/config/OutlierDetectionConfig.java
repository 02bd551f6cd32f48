package io.edgeway.config;

import io.edgeway.spi.Percentage;
import java.time.Duration;

/**
 * Passive outlier detection: a target whose attempts fail {@code consecutiveFailures} times in a
 * row (connection refused or reset, timeout, or a 5xx response) is ejected from the balancer for
 * {@code baseEjection} x the number of times it was ejected, capped at
 * {@code baseEjection x maxEjectionMultiplier}; never more than {@code maxEjected} of the targets
 * (rounded down) are ejected at once.
 *
 * @param consecutiveFailures failures in a row that eject a target; default 5
 * @param baseEjection ejection time of a first ejection; default 30s
 * @param maxEjected the largest share of targets ejected at once; default 50%
 * @param maxEjectionMultiplier cap of the growing ejection time, in units of base-ejection; default 10
 */
public record OutlierDetectionConfig(
    Integer consecutiveFailures, Duration baseEjection, Percentage maxEjected, Integer maxEjectionMultiplier) {

  public OutlierDetectionConfig {
    consecutiveFailures = consecutiveFailures == null ? 5
        : ComponentChecks.range("consecutive-failures", consecutiveFailures, 1, 10_000);
    baseEjection = baseEjection == null ? Duration.ofSeconds(30) : ComponentChecks.positive("base-ejection", baseEjection);
    maxEjected = maxEjected == null ? new Percentage(50) : maxEjected;
    maxEjectionMultiplier = maxEjectionMultiplier == null ? 10
        : ComponentChecks.range("max-ejection-multiplier", maxEjectionMultiplier, 1, 1000);
  }
}
