package io.edgeway.metrics;

import io.edgeway.config.ConfigSection;
import java.math.BigDecimal;
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

  static final List<Double> DEFAULT_BUCKETS = List.of(
      0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0);

  private static final int MAX_BUCKETS = 40;
  private static final double MAX_BOUND = 3600;

  // After the constants the constructor reads: defaults() runs during class initialisation.
  /** The section, owned by the {@link MetricsModule}; absent: every default (enabled). */
  public static final ConfigSection<MetricsConfig> SECTION =
      ConfigSection.of("metrics", MetricsConfig.class, defaults());

  public MetricsConfig {
    enabled = enabled == null || enabled;
    // Immutable lists throw on contains(null): look at each element.
    for (int i = 0; buckets != null && i < buckets.size(); i++) {
      if (buckets.get(i) == null) {
        throw new IllegalArgumentException("buckets[" + i + "]: null (expected: seconds, e.g. 0.005)");
      }
    }
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
        throw new IllegalArgumentException("buckets[" + i + "]: " + text(bound)
            + " (expected: seconds between 0.000000001 and " + (long) MAX_BOUND + ")");
      }
      if (i > 0 && bound <= previous) {
        throw new IllegalArgumentException("buckets[" + i + "]: " + text(bound)
            + " (expected: greater than buckets[" + (i - 1) + "], " + text(previous) + ")");
      }
      previous = bound;
    }
  }

  private static String text(double seconds) {
    return Double.isFinite(seconds) ? BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString()
        : Double.toString(seconds);
  }

  /** All defaults. */
  public static MetricsConfig defaults() {
    return new MetricsConfig(null, null);
  }
}
