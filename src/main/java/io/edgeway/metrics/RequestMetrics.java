package io.edgeway.metrics;

import static java.util.Objects.requireNonNull;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.runtime.ExchangeObserver;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.StandardAttributes;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records every completed request into its route's {@link RouteMeters}: count by method and
 * status class, total/upstream/overhead latency, and the cache result and rate-limit decision the
 * filters left on the exchange. Runs on the event loop once per request; the route's meters are
 * found with one map read by route id.
 */
final class RequestMetrics implements ExchangeObserver {
  /** The route label of requests no route matched (404, 405, edge rejections); never a route id. */
  static final String UNMATCHED = "(none)";

  private final MeterRegistry registry;
  private final Duration[] buckets;
  private final Map<String, RouteMeters> byRoute = new ConcurrentHashMap<>();
  private final RouteMeters unmatched;

  RequestMetrics(MeterRegistry registry, List<Double> bucketSeconds) {
    this.registry = requireNonNull(registry, "registry");
    this.buckets = bucketSeconds.stream().map(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new);
    this.unmatched = new RouteMeters(UNMATCHED, registry, buckets, false);
  }

  @Override
  public void completed(DefaultExchange ex, ExchangeOutcome outcome) {
    String route = ex.routeId();
    RouteMeters meters;
    if (route == null) {
      meters = unmatched;
    } else {
      meters = byRoute.get(route);
      if (meters == null) {
        meters = byRoute.computeIfAbsent(route, id -> new RouteMeters(id, registry, buckets, true));
      }
    }
    Long upstreamNanos = ex.get(StandardAttributes.UPSTREAM_NANOS);
    int status = outcome.status();
    meters.record(methodIndex(ex.request().method()), status >= 100 && status < 600 ? status / 100 : 0,
        outcome.totalNanos(), upstreamNanos == null ? -1 : upstreamNanos,
        cacheResult(ex.get(StandardAttributes.CACHE_STATUS)),
        decision(ex.get(StandardAttributes.RATE_LIMIT_OUTCOME)));
  }

  /**
   * Drops the meters of routes no longer configured, so a reload that removes routes removes
   * their series (bounded cardinality). A late request of a removed route creates them again;
   * the next scrape after it drains drops them for good.
   */
  void retainRoutes(Set<String> routeIds) {
    byRoute.entrySet().removeIf(e -> {
      if (routeIds.contains(e.getKey())) {
        return false;
      }
      e.getValue().remove();
      return true;
    });
  }

  static int methodIndex(HttpMethod method) {
    // Vert.x hands out the same constants for the standard methods: identity checks suffice.
    if (method == HttpMethod.GET) {
      return 0;
    } else if (method == HttpMethod.HEAD) {
      return 1;
    } else if (method == HttpMethod.POST) {
      return 2;
    } else if (method == HttpMethod.PUT) {
      return 3;
    } else if (method == HttpMethod.DELETE) {
      return 4;
    } else if (method == HttpMethod.PATCH) {
      return 5;
    } else if (method == HttpMethod.OPTIONS) {
      return 6;
    } else if (method == HttpMethod.TRACE) {
      return 7;
    } else if (method == HttpMethod.CONNECT) {
      return 8;
    }
    return 9; // any extension method: one label value, so clients cannot grow the series
  }

  /**
   * The cache filter's attribute: hit; miss; stale (a stale entry served: while revalidating, on an
   * upstream error, or after the upstream confirmed it with 304); bypass is not a lookup, not counted.
   */
  static int cacheResult(String status) {
    if (status == null) {
      return -1;
    }
    return switch (status) {
      case "hit" -> 0;
      case "miss", "vary-miss" -> 1;
      case "stale", "revalidated" -> 2;
      default -> -1; // bypass: the request was not cacheable, not a cache lookup
    };
  }

  /**
   * The rate-limit filter's attribute: allowed, rejected (also a missing key), degraded (decided
   * without the shared store: the per-node fallback allowed or rejected, or deny answered 503).
   */
  static int decision(String outcome) {
    if (outcome == null) {
      return -1;
    }
    return switch (outcome) {
      case "allowed" -> 0;
      case "rejected", "missing-key" -> 1;
      case "degraded", "degraded-rejected", "unavailable" -> 2;
      default -> -1;
    };
  }
}
