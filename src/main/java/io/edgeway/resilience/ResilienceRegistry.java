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
  private final Map<String, Held<CircuitBreaker>> breakers = new ConcurrentHashMap<>();
  private final Map<String, Held<RetryStats>> retries = new ConcurrentHashMap<>();

  // Reference-counted by the filters using it: a reload creates the new route's filter (which takes
  // a reference) before it closes the old one (which drops its own), so a kept route's state
  // survives and a removed route's state goes with its last filter.
  private static final class Held<T> {
    final T value;
    int references;

    Held(T value) {
      this.value = value;
    }
  }

  public ResilienceRegistry(LongSupplier nanoClock) {
    this.nanoClock = requireNonNull(nanoClock, "nanoClock");
  }

  LongSupplier nanoClock() {
    return nanoClock;
  }

  /**
   * Takes a reference to the route's breaker: the existing one when its configuration is
   * unchanged (a reload keeps its state), else a new one. Give it back with {@link #releaseBreaker}.
   */
  CircuitBreaker breaker(String routeId, CircuitBreakerConfig config, StateEvents events) {
    return breakers.compute(routeId, (id, existing) -> {
      Held<CircuitBreaker> held = existing != null && existing.value.config().equals(config)
          ? existing : new Held<>(new CircuitBreaker(id, config, nanoClock, events));
      held.references++;
      return held;
    }).value;
  }

  /** Drops a reference to {@code breaker}; the last one forgets it (its route was removed or changed). */
  void releaseBreaker(String routeId, CircuitBreaker breaker) {
    breakers.computeIfPresent(routeId, (id, held) -> held.value != breaker || --held.references > 0 ? held : null);
  }

  /** Takes a reference to the route's retry counters; give it back with {@link #releaseRetryStats}. */
  RetryStats retryStats(String routeId) {
    return retries.compute(routeId, (id, existing) -> {
      Held<RetryStats> held = existing != null ? existing : new Held<>(new RetryStats());
      held.references++;
      return held;
    }).value;
  }

  /** Drops a reference to the route's retry counters; the last one forgets them. */
  void releaseRetryStats(String routeId) {
    retries.computeIfPresent(routeId, (id, held) -> --held.references > 0 ? held : null);
  }

  List<Map<String, Object>> describeBreakers() {
    List<Map<String, Object>> out = new ArrayList<>();
    breakers.values().stream().map(h -> h.value).sorted((a, b) -> a.routeId().compareTo(b.routeId()))
        .forEach(b -> out.add(b.describe()));
    return out;
  }

  /** Breakers (state, transitions, refusals) and retries per route, for the metrics exporter. */
  @Override
  public void collect(MetricSink sink) {
    breakers.values().forEach(held -> held.value.collect(sink));
    retries.forEach((route, held) -> {
      sink.counter("edgeway_retries_total", "Upstream attempts repeated by the retry filter",
          held.value.retries.sum(), "route", route);
      sink.counter("edgeway_retry_budget_exhausted_total", "Retries not made because the retry budget was spent",
          held.value.budgetExhausted.sum(), "route", route);
    });
  }

  Map<String, RetryStats> retries() {
    Map<String, RetryStats> out = new java.util.HashMap<>();
    retries.forEach((id, held) -> out.put(id, held.value));
    return out;
  }
}
