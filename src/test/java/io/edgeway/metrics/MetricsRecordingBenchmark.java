package io.edgeway.metrics;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.DefaultGatewayRequest;
import io.edgeway.spi.Body;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.StandardAttributes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording one completed request costs the event loop: {@link RequestMetrics#completed}
 * for a proxied GET (counter, three histograms) and for a request with a cache result and a
 * rate-limit decision (two more counters). Compare with the gateway's CPU time per request in
 * loadtest/RESULTS.md. Run with {@code loadtest/jmh.sh MetricsRecordingBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsRecordingBenchmark {
  private RequestMetrics metrics;
  private DefaultExchange proxied;
  private DefaultExchange filtered;
  private ExchangeOutcome outcome;

  @Setup
  public void setUp() {
    metrics = new RequestMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), MetricsConfig.DEFAULT_BUCKETS);
    proxied = exchange("bench");
    proxied.put(StandardAttributes.UPSTREAM_NANOS, 420_000L);
    filtered = exchange("cached");
    filtered.put(StandardAttributes.UPSTREAM_NANOS, 420_000L);
    filtered.put(StandardAttributes.CACHE_STATUS, "hit");
    filtered.put(StandardAttributes.RATE_LIMIT_OUTCOME, "allowed");
    outcome = new ExchangeOutcome(200, null, 0, 55, 730_000L, false);
  }

  private static DefaultExchange exchange(String route) {
    DefaultGatewayRequest request = new DefaultGatewayRequest(HttpMethod.GET, "/bench/x", "/bench/x", null,
        "127.0.0.1", "http", "127.0.0.1", Map.of(), MultiMap.caseInsensitiveMultiMap(), Body.empty());
    return new DefaultExchange("id", "trace", null, route, request, null, 0, 0);
  }

  @Benchmark
  public void proxiedRequest() {
    metrics.completed(proxied, outcome);
  }

  @Benchmark
  public void requestWithCacheAndRateLimit() {
    metrics.completed(filtered, outcome);
  }
}
