package io.edgeway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The per-request meters of one route, resolved once: the three latency timers up front, the
 * counters by method and status class (and by cache result and rate-limit decision) on first use,
 * kept in arrays indexed by small integers. Recording a request is array reads and meter
 * updates: no tag arrays, no map lookups, no allocation.
 */
final class RouteMeters {
  static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "OTHER"};
  /** Index = status / 100; index 0 collects anything outside 100-599 (never expected). */
  static final String[] STATUS_CLASSES = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
  static final String[] CACHE_RESULTS = {"hit", "miss", "stale"};
  static final String[] DECISIONS = {"allowed", "rejected", "degraded"};

  private final String route;
  private final MeterRegistry registry;
  private final Timer total;
  private final Timer upstream;
  private final Timer overhead;
  private final AtomicReferenceArray<Counter> requests =
      new AtomicReferenceArray<>(METHODS.length * STATUS_CLASSES.length);
  private final AtomicReferenceArray<Counter> cache = new AtomicReferenceArray<>(CACHE_RESULTS.length);
  private final AtomicReferenceArray<Counter> decisions = new AtomicReferenceArray<>(DECISIONS.length);

  /** Meters of a route; {@code upstreamCalls} false for requests no route matched (never proxied). */
  RouteMeters(String route, MeterRegistry registry, Duration[] buckets, boolean upstreamCalls) {
    this.route = route;
    this.registry = registry;
    this.total = timer("edgeway.request.duration",
        "Time from a request's arrival to the end of its response", buckets);
    this.upstream = !upstreamCalls ? null : timer("edgeway.upstream.duration",
        "Time waiting on the upstream (connection, request, response headers), summed over attempts", buckets);
    this.overhead = timer("edgeway.gateway.overhead",
        "Request duration minus upstream duration: what the gateway itself (and the client) added", buckets);
  }

  private Timer timer(String name, String help, Duration[] buckets) {
    return Timer.builder(name).description(help).tag("route", route)
        .serviceLevelObjectives(buckets)
        .register(registry);
  }

  /**
   * Records one completed request.
   *
   * @param method index into {@link #METHODS}
   * @param statusClass index into {@link #STATUS_CLASSES}
   * @param upstreamNanos time on the upstream, or -1 when no upstream was called
   * @param cacheResult index into {@link #CACHE_RESULTS}, or -1
   * @param decision index into {@link #DECISIONS}, or -1
   */
  void record(int method, int statusClass, long totalNanos, long upstreamNanos, int cacheResult, int decision) {
    int i = method * STATUS_CLASSES.length + statusClass;
    Counter counter = requests.get(i);
    if (counter == null) {
      counter = register(requests, i, Counter.builder("edgeway.requests")
          .description("Requests completed, by route, method and status class")
          .tag("route", route).tag("method", METHODS[method]).tag("status_class", STATUS_CLASSES[statusClass]));
    }
    counter.increment();
    total.record(totalNanos, TimeUnit.NANOSECONDS);
    if (upstreamNanos >= 0 && upstream != null) {
      upstream.record(upstreamNanos, TimeUnit.NANOSECONDS);
      overhead.record(Math.max(0, totalNanos - upstreamNanos), TimeUnit.NANOSECONDS);
    } else {
      overhead.record(totalNanos, TimeUnit.NANOSECONDS);
    }
    if (cacheResult >= 0) {
      Counter c = cache.get(cacheResult);
      if (c == null) {
        c = register(cache, cacheResult, Counter.builder("edgeway.cache.requests")
            .description("Requests through a cache filter, by result")
            .tag("route", route).tag("result", CACHE_RESULTS[cacheResult]));
      }
      c.increment();
    }
    if (decision >= 0) {
      Counter c = decisions.get(decision);
      if (c == null) {
        c = register(decisions, decision, Counter.builder("edgeway.ratelimit.decisions")
            .description("Rate-limit decisions; degraded: decided without the shared store (store down)")
            .tag("route", route).tag("decision", DECISIONS[decision]));
      }
      c.increment();
    }
  }

  // Two loops may register the same counter at once: the registry hands both the same meter.
  private Counter register(AtomicReferenceArray<Counter> slots, int index, Counter.Builder builder) {
    Counter counter = builder.register(registry);
    slots.set(index, counter);
    return counter;
  }

  /** Removes this route's meters from the registry (its route is gone from the configuration). */
  void remove() {
    List<Meter> meters = new ArrayList<>(List.of(total, overhead));
    if (upstream != null) {
      meters.add(upstream);
    }
    for (AtomicReferenceArray<Counter> slots : List.of(requests, cache, decisions)) {
      for (int i = 0; i < slots.length(); i++) {
        Counter c = slots.get(i);
        if (c != null) {
          meters.add(c);
        }
      }
    }
    meters.forEach(registry::remove);
  }
}
