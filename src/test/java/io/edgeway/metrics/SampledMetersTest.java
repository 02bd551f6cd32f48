package io.edgeway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.runtime.MetricSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Series reported by sources become meters, follow the sources' values, and leave with them. */
class SampledMetersTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final SampledMeters sampled = new SampledMeters(registry);

  @Test
  void countersAndGaugesFollowTheirSourceAndDisappearWithIt() {
    AtomicLong evictions = new AtomicLong(3);
    List<String> routes = new java.util.ArrayList<>(List.of("a", "b"));
    MetricSource source = sink -> {
      sink.counter("edgeway_cache_evictions_total", "evicted", evictions.get());
      routes.forEach(r -> sink.gauge("edgeway_circuit_breaker_state", "state", 1, "route", r));
    };

    sampled.refresh(List.of(source));
    PrometheusText first = PrometheusText.parse(registry.scrape());
    assertThat(first.value("edgeway_cache_evictions_total")).isEqualTo(3.0);
    assertThat(first.value("edgeway_circuit_breaker_state", "route", "b")).isEqualTo(1.0);

    evictions.set(5);
    routes.remove("b"); // a reload removed route b
    sampled.refresh(List.of(source));
    PrometheusText second = PrometheusText.parse(registry.scrape());
    assertThat(second.value("edgeway_cache_evictions_total")).isEqualTo(5.0);
    assertThat(second.value("edgeway_circuit_breaker_state", "route", "a")).isEqualTo(1.0);
    assertThat(second.value("edgeway_circuit_breaker_state", "route", "b")).isNull();
  }

  @Test
  void aFailingSourceDoesNotTakeTheOthersDown() {
    MetricSource broken = sink -> {
      throw new IllegalStateException("boom");
    };
    MetricSource fine = sink -> sink.gauge("edgeway_events_queued", "queued", 7);
    sampled.refresh(List.of(broken, fine));
    assertThat(PrometheusText.parse(registry.scrape()).value("edgeway_events_queued")).isEqualTo(7.0);
  }
}
