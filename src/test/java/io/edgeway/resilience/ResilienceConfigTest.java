package io.edgeway.resilience;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.config.ConfigException;
import io.edgeway.config.ConfigLoader;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.runtime.GatewayServices;
import io.edgeway.runtime.RouteCompiler;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Resilience configuration errors are reported with their position and key path. */
class ResilienceConfigTest {
  private final Vertx vertx = TestVertx.create();

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void compile(String yaml) throws Exception {
    new RouteCompiler(vertx, FilterRegistry.discover(List.of(getClass().getClassLoader())), new GatewayServices(), 1)
        .compile(ConfigLoader.load("r.yaml", yaml), "r.yaml").close();
  }

  @Test
  void badValuesArePositionedErrors() {
    assertThatThrownBy(() -> compile("""
        routes:
          - id: r
            match: { path: /** }
            upstream:
              targets: [ { url: http://127.0.0.1:1 } ]
            filters:
              - circuit-breaker: { failure-statuses: [500, 404], fallback: stale }
              - retry: { on: [connect-failure, boom] }
              - concurrency-limit: {}
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("r.yaml:7:52: routes[0].filters[0].circuit-breaker.failure-statuses[1]: 404 (expected: "
            + "a 5xx status")
        .hasMessageContaining("r.yaml:7:68: routes[0].filters[0].circuit-breaker.fallback: stale (expected: stale-cache")
        .hasMessageContaining("r.yaml:8:40: routes[0].filters[1].retry.on[1]: boom (expected: connect-failure, timeout, "
            + "408, 429 or a 5xx status)")
        .hasMessageContaining("r.yaml:9:28: routes[0].filters[2].concurrency-limit.max: missing");
  }

  @Test
  void badUpstreamSettingsArePositionedErrors() {
    assertThatThrownBy(() -> compile("""
        routes:
          - id: r
            match: { path: /** }
            upstream:
              targets: [ { url: http://127.0.0.1:1 } ]
              health-check: { interval: 1s, timeout: 2s }
              outlier-detection: { consecutive-failures: 0 }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("r.yaml:6:46: routes[0].upstream.health-check.timeout: 2000ms (expected: at most the interval")
        .hasMessageContaining("r.yaml:7:50: routes[0].upstream.outlier-detection.consecutive-failures: 0 (expected: an "
            + "integer from 1");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    CircuitBreakerConfig cb = new CircuitBreakerConfig(null, null, null, null, null, null, null, null, null);
    assertThat(cb.failureRate().percent()).isEqualTo(50);
    assertThat(cb.minimumCalls()).isEqualTo(20);
    assertThat(cb.openFor().toSeconds()).isEqualTo(30);
    assertThat(cb.halfOpenCalls()).isEqualTo(3);
    assertThat(cb.failureStatuses()).containsExactly(500, 502, 503, 504);
    RetryConfig retry = new RetryConfig(null, null, null, null, null, null, null, null, null);
    assertThat(retry.attempts()).isEqualTo(3);
    assertThat(retry.methods()).doesNotContain("POST", "PATCH");
    assertThat(retry.maxBufferedBody().bytes()).isEqualTo(64 * 1024);
    assertThat(retry.budget().percent()).isEqualTo(20);
  }

  @Test
  void backoffDoublesUpToTheCapAndJitterStaysWithinHalfAndFull() {
    RetryFilterFactory.RetryFilter noJitter = new RetryFilterFactory.RetryFilter(vertx,
        new RetryConfig(null, null, null, new RetryConfig.BackoffConfig(java.time.Duration.ofMillis(25),
            java.time.Duration.ofMillis(150), false), null, null, null, null, null), new RetryStats(), System::nanoTime);
    assertThat(List.of(noJitter.backoffMillis(1), noJitter.backoffMillis(2), noJitter.backoffMillis(3),
        noJitter.backoffMillis(4), noJitter.backoffMillis(40))).containsExactly(25L, 50L, 100L, 150L, 150L);
    RetryFilterFactory.RetryFilter jitter = new RetryFilterFactory.RetryFilter(vertx,
        new RetryConfig(null, null, null, null, null, null, null, null, null), new RetryStats(), System::nanoTime);
    for (int i = 0; i < 200; i++) {
      assertThat(jitter.backoffMillis(2)).isBetween(25L, 50L);
    }
  }
}
