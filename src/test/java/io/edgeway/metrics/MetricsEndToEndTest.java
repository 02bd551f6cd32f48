package io.edgeway.metrics;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a running gateway after real traffic: requests by route, method and
 * status class; the latency histograms; rate-limit decisions and cache results per route; the
 * upstream pools, connect failures and health; breakers; events; the JVM. Values are read back
 * from the Prometheus text, as a scraper would.
 */
class MetricsEndToEndTest {
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private Vertx vertx;
  private TestUpstream upstream;
  private TestGateway gateway;
  @TempDir
  Path dir;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx).respondWith(req -> req.response()
        .putHeader("Cache-Control", "max-age=60").end("hello"));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void exportsWhatTheTrafficDid() throws Exception {
    String closed = closedPortUrl();
    gateway = TestGateway.start(vertx, """
        events:
          journal: { dir: "%s" }
        routes:
          - id: api
            match: { path: /api/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - rate-limit: { limits: [ { capacity: 3, period: 1h } ] }
              - cache: {}
              - circuit-breaker: {}
          - id: down
            match: { path: /down/** }
            upstream: { targets: [ { url: %s } ] }
        """.formatted(dir.resolve("journal").toString().replace('\\', '/'), upstream.url(), closed));

    for (int i = 0; i < 5; i++) {
      get(gateway.port(), "/api/x"); // allowed: miss, hit, hit; then rejected twice
    }
    assertThat(get(gateway.port(), "/down/x").statusCode()).isEqualTo(502);
    assertThat(get(gateway.port(), "/nowhere").statusCode()).isEqualTo(404);

    HttpResponse<String> scrape = get(gateway.adminPort(), "/metrics");
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type")).hasValue(MetricsModule.CONTENT_TYPE);
    PrometheusText m = PrometheusText.parse(scrape.body());

    assertThat(m.value("edgeway_requests_total", "route", "api", "method", "GET", "status_class", "2xx")).isEqualTo(3.0);
    assertThat(m.value("edgeway_requests_total", "route", "api", "method", "GET", "status_class", "4xx")).isEqualTo(2.0);
    assertThat(m.value("edgeway_requests_total", "route", "down", "method", "GET", "status_class", "5xx")).isEqualTo(1.0);
    assertThat(m.value("edgeway_requests_total", "route", "(none)", "method", "GET", "status_class", "4xx")).isEqualTo(1.0);

    assertThat(m.value("edgeway_request_duration_seconds_count", "route", "api")).isEqualTo(5.0);
    assertThat(m.value("edgeway_upstream_duration_seconds_count", "route", "api")).isEqualTo(1.0);
    assertThat(m.value("edgeway_gateway_overhead_seconds_count", "route", "api")).isEqualTo(5.0);
    assertThat(m.value("edgeway_request_duration_seconds_bucket", "route", "api", "le", "5.0E-4")).isNotNull();
    assertThat(m.value("edgeway_request_duration_seconds_bucket", "route", "api", "le", "30.0")).isEqualTo(5.0);
    assertThat(m.value("edgeway_request_duration_seconds_bucket", "route", "api", "le", "+Inf")).isEqualTo(5.0);

    assertThat(m.value("edgeway_ratelimit_decisions_total", "route", "api", "decision", "allowed")).isEqualTo(3.0);
    assertThat(m.value("edgeway_ratelimit_decisions_total", "route", "api", "decision", "rejected")).isEqualTo(2.0);
    assertThat(m.value("edgeway_cache_requests_total", "route", "api", "result", "miss")).isEqualTo(1.0);
    assertThat(m.value("edgeway_cache_requests_total", "route", "api", "result", "hit")).isEqualTo(2.0);
    assertThat(m.value("edgeway_cache_bytes")).isPositive();
    assertThat(m.value("edgeway_cache_evictions_total")).isZero();

    String target = upstream.url();
    assertThat(m.value("edgeway_upstream_connect_failures_total", "route", "down", "target", closed)).isEqualTo(1.0);
    assertThat(m.value("edgeway_upstream_connect_failures_total", "route", "api", "target", target)).isZero();
    assertThat(m.value("edgeway_upstream_target_healthy", "route", "api", "target", target)).isEqualTo(1.0);
    assertThat(m.value("edgeway_upstream_waiters", "route", "api", "target", target)).isZero();
    // The connection goes back to the pool when the response ended, which may trail the client.
    PrometheusText pooled = scrapeUntil(p ->
        Double.valueOf(1).equals(p.value("edgeway_upstream_connections", "route", "api", "target", target, "state", "idle")));
    assertThat(pooled.value("edgeway_upstream_connections", "route", "api", "target", target, "state", "in_use")).isZero();

    assertThat(m.value("edgeway_circuit_breaker_state", "route", "api")).isZero();
    assertThat(m.value("edgeway_circuit_breaker_transitions_total", "route", "api", "to", "open")).isZero();
    assertThat(m.value("edgeway_events_total", "stage", "created")).isGreaterThanOrEqualTo(7.0);
    assertThat(m.value("edgeway_events_total", "stage", "dropped")).isZero();
    assertThat(m.value("edgeway_events_journal_bytes")).isNotNull();
    String version = gateway.gateway().runtime().reloadStats().running().hash();
    assertThat(m.value("edgeway_config_info", "version", version, "source", "test.yaml")).isEqualTo(1.0);
    assertThat(m.value("edgeway_config_reloads_total", "result", "success")).isZero();
    assertThat(m.value("edgeway_config_reloads_total", "result", "failure")).isZero();
    assertThat(m.value("edgeway_routes")).isEqualTo(2.0);
    // The stdout access log is on (the test logback configuration keeps its logger quiet).
    assertThat(m.value("edgeway_access_log_dropped_total")).isZero();
    assertThat(m.value("edgeway_access_log_queued")).isZero();
    assertThat(m.has("jvm_memory_used_bytes")).isTrue();
    assertThat(m.has("jvm_gc_pause_seconds_count")).isTrue();
    assertThat(m.has("jvm_threads_live_threads")).isTrue();
    assertThat(m.has("process_cpu_usage")).isTrue();
    assertThat(m.has("process_uptime_seconds")).isTrue();
    // Route ids and configured targets only: the request path never becomes a label.
    assertThat(scrape.body()).doesNotContain("/api/x").doesNotContain("/nowhere");
  }

  @Test
  void disabledRecordsNothingAndHasNoEndpoint() throws Exception {
    gateway = TestGateway.start(vertx, """
        metrics: { enabled: false }
        routes:
          - id: api
            match: { path: /api/** }
            upstream: { targets: [ { url: %s } ] }
        """.formatted(upstream.url()));
    assertThat(get(gateway.port(), "/api/x").statusCode()).isEqualTo(200);
    HttpResponse<String> scrape = get(gateway.adminPort(), "/metrics");
    assertThat(scrape.statusCode()).isEqualTo(404);
    assertThat(scrape.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  private PrometheusText scrapeUntil(Predicate<PrometheusText> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      PrometheusText p = PrometheusText.parse(get(gateway.adminPort(), "/metrics").body());
      if (condition.test(p) || System.nanoTime() > deadline) {
        assertThat(condition.test(p)).as("metrics condition within 10 s:\n" + p.raw()).isTrue();
        return p;
      }
      Thread.onSpinWait();
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String closedPortUrl() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }
}
