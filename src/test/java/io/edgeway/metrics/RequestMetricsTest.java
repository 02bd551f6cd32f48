package io.edgeway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

/** The fixed label values the per-request path maps attributes to. */
class RequestMetricsTest {

  @Test
  void methodsOutsideTheStandardOnesShareOneLabel() {
    assertThat(RouteMeters.METHODS[RequestMetrics.methodIndex(HttpMethod.GET)]).isEqualTo("GET");
    assertThat(RouteMeters.METHODS[RequestMetrics.methodIndex(HttpMethod.PATCH)]).isEqualTo("PATCH");
    assertThat(RouteMeters.METHODS[RequestMetrics.methodIndex(HttpMethod.valueOf("PROPFIND"))]).isEqualTo("OTHER");
    assertThat(RouteMeters.METHODS[RequestMetrics.methodIndex(HttpMethod.valueOf("BREW"))]).isEqualTo("OTHER");
  }

  @Test
  void cacheAndRateLimitAttributesMapToTheDocumentedWords() {
    assertThat(RequestMetrics.cacheResult("hit")).isEqualTo(0);
    assertThat(RequestMetrics.cacheResult("vary-miss")).isEqualTo(1);
    assertThat(RequestMetrics.cacheResult("revalidated")).isEqualTo(2);
    assertThat(RequestMetrics.cacheResult("bypass")).isEqualTo(-1);
    assertThat(RequestMetrics.cacheResult(null)).isEqualTo(-1);
    assertThat(RouteMeters.DECISIONS[RequestMetrics.decision("missing-key")]).isEqualTo("rejected");
    assertThat(RouteMeters.DECISIONS[RequestMetrics.decision("degraded-rejected")]).isEqualTo("degraded");
    assertThat(RouteMeters.DECISIONS[RequestMetrics.decision("unavailable")]).isEqualTo("degraded");
    assertThat(RequestMetrics.decision(null)).isEqualTo(-1);
  }
}
