package io.edgeway.runtime;

/**
 * Numbers a module exposes to the metrics exporter without depending on it (or on a metrics
 * library): counters it already keeps for its admin endpoint, sizes, states. Registered with
 * {@link GatewayRuntime#addMetricSource}; the exporter calls {@link #collect} on every scrape.
 *
 * <p>Runs on a worker thread at scrape time, never on the request path, possibly concurrently
 * with requests: read atomics and sizes, never block, never throw. Keep the label values bounded
 * (route ids, target URLs from the configuration, fixed words), never request data.
 */
@FunctionalInterface
public interface MetricSource {

  /** Reports the current value of every series this source owns. */
  void collect(MetricSink sink);
}
