package io.edgeway.resilience;

import static java.util.Objects.requireNonNull;

import io.edgeway.runtime.MetricSink;
import io.edgeway.runtime.MetricSource;
import io.edgeway.runtime.StateEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The process-wide service that keeps the routes' circuit breakers and retry statistics, so the
 * admin API can show them and a breaker of a route whose configuration did not change keeps its
 * state when the route is compiled again (a reload). Also the place that holds the clock, so
 * tests can drive breakers through a running gateway.
 */
public final class ResilienceRegistry implements MetricSource {
  private final LongSupplier nanoClock;
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final Map<String, RetryStats> retries = new ConcurrentHashMap<>();

  public ResilienceRegistry(LongSupplier nanoClock) {
    this.nanoClock = requireNonNull(nanoClock, "nanoClock");
  }

  LongSupplier nanoClock() {
    return nanoClock;
  }

  /** The route's breaker: the existing one when its configuration is unchanged, else a new one. */
  CircuitBreaker breaker(String routeId, CircuitBreakerConfig config, StateEvents events) {
    return breakers.compute(routeId, (id, existing) -> existing != null && existing.config().equals(config)
        ? existing : new CircuitBreaker(id, config, nanoClock, events));
  }

  /** Forgets a route's breaker (its route was removed). */
  void removeBreaker(String routeId, CircuitBreaker breaker) {
    breakers.remove(routeId, breaker);
  }

  RetryStats retryStats(String routeId) {
    return retries.computeIfAbsent(routeId, id -> new RetryStats());
  }

  List<Map<String, Object>> describeBreakers() {
    List<Map<String, Object>> out = new ArrayList<>();
    breakers.values().stream().sorted((a, b) -> a.routeId().compareTo(b.routeId()))
        .forEach(b -> out.add(b.describe()));
    return out;
  }

  /** Breakers (state, transitions, refusals) and retries per route, for the metrics exporter. */
  @Override
  public void collect(MetricSink sink) {
    breakers.values().forEach(b -> b.collect(sink));
    retries.forEach((route, stats) -> {
      sink.counter("edgeway_retries_total", "Upstream attempts repeated by the retry filter",
          stats.retries.sum(), "route", route);
      sink.counter("edgeway_retry_budget_exhausted_total", "Retries not made because the retry budget was spent",
          stats.budgetExhausted.sum(), "route", route);
    });
  }

  Map<String, RetryStats> retries() {
    return retries;
  }
}
