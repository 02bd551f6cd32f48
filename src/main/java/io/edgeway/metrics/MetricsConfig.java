package io.edgeway.metrics;

import io.edgeway.config.ConfigSection;
import java.util.List;

/**
 * The top-level {@code metrics} section: Prometheus metrics at {@code GET /metrics} on the admin
 * port (docs/metrics.md).
 *
 * @param enabled whether meters are recorded and exported; default true
 * @param buckets upper bounds in seconds of the latency histograms (request, upstream, gateway
 *     overhead), strictly increasing, as Prometheus writes them ({@code le}); default 0.5ms to
 *     30s: fine where a proxy spends its time (below 10ms), coarse where only timeouts live
 */
public record MetricsConfig(Boolean enabled, List<Double> buckets) {

  /** The section, owned by the {@link MetricsModule}; absent: every default (enabled). */
  public static final ConfigSection<MetricsConfig> SECTION =
      ConfigSection.of("metrics", MetricsConfig.class, defaults());

  static final List<Double> DEFAULT_BUCKETS = List.of(
      0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0);

  private static final int MAX_BUCKETS = 40;
  private static final double MAX_BOUND = 3600;

  public MetricsConfig {
    enabled = enabled == null || enabled;
    buckets = buckets == null ? DEFAULT_BUCKETS : List.copyOf(buckets);
    if (buckets.isEmpty() || buckets.size() > MAX_BUCKETS) {
      throw new IllegalArgumentException(
          "buckets: " + buckets.size() + " bounds (expected: 1 to " + MAX_BUCKETS + " bounds in seconds)");
    }
    double previous = 0;
    for (int i = 0; i < buckets.size(); i++) {
      double bound = buckets.get(i);
      // One nanosecond is the resolution the gateway measures in.
      if (!(bound >= 1e-9 && bound <= MAX_BOUND)) {
        throw new IllegalArgumentException("buckets[" + i + "]: " + bound
            + " (expected: seconds between 0.000000001 and " + (long) MAX_BOUND + ")");
      }
      if (i > 0 && bound <= previous) {
        throw new IllegalArgumentException("buckets[" + i + "]: " + bound
            + " (expected: greater than buckets[" + (i - 1) + "], " + previous + ")");
      }
      previous = bound;
    }
  }

  /** All defaults. */
  public static MetricsConfig defaults() {
    return new MetricsConfig(null, null);
  }
}
