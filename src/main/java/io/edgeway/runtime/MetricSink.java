package io.edgeway.runtime;

/**
 * Where a {@link MetricSource} reports its series at scrape time. Names follow Prometheus
 * conventions ({@code edgeway_cache_evictions_total}, {@code edgeway_cache_bytes}); labels are
 * name/value pairs. One metric name always carries the same label names. A series a source stops
 * reporting (a route removed by a reload) disappears from the next scrape.
 */
public interface MetricSink {

  /**
   * A monotonic count since the source was created; the name ends in {@code _total}.
   *
   * @param labels name, value, name, value...
   */
  void counter(String name, String help, double value, String... labels);

  /**
   * A value that goes up and down (a size, a state as a number, 0/1).
   *
   * @param labels name, value, name, value...
   */
  void gauge(String name, String help, double value, String... labels);
}
