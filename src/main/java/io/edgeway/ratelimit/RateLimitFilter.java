package io.edgeway.ratelimit;

import io.edgeway.exchange.RequestSpan;
import io.edgeway.exchange.SpanHandle;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.GatewayException;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code rate-limit} filter of one route: resolves the key, asks the bucket (per node, or in
 * Redis with a per-node fallback), answers 429 itself when the bucket is empty (no upstream call),
 * and puts the rate-limit headers on every response of the route, errors included.
 */
final class RateLimitFilter implements GatewayFilter {
  static final String DEGRADED_HEADER = "RateLimit-Degraded";
  static final String OUTCOME_ALLOWED = "allowed";
  static final String OUTCOME_REJECTED = "rejected";
  static final String OUTCOME_DEGRADED = "degraded";
  static final String OUTCOME_DEGRADED_REJECTED = "degraded-rejected";
  static final String OUTCOME_UNAVAILABLE = "unavailable";
  static final String OUTCOME_MISSING_KEY = "missing-key";

  private final RateLimitConfig config;
  private final RateLimitPolicy policy;
  private final KeyResolver resolver;
  private final String space;
  private final LocalBucketStore local;
  private final RedisBucketStore store;
  private final RateLimitMetrics metrics;
  private final long cost;
  private final boolean verbose;
  private final boolean legacy;
  private final boolean denyWhenStoreFails;

  /**
   * @param space the bucket space: limits fingerprint and group (or route id)
   * @param local the per-node buckets (also the fallback of cluster scope)
   * @param store the Redis store for cluster scope, else null
   */
  RateLimitFilter(RateLimitConfig config, RateLimitPolicy policy, String space, LocalBucketStore local,
      RedisBucketStore store, RateLimitMetrics metrics) {
    this.config = config;
    this.policy = policy;
    this.resolver = KeyResolver.of(config.key());
    this.space = space + "|";
    this.local = local;
    this.store = store;
    this.metrics = metrics;
    this.cost = config.cost();
    this.verbose = policy.size() > 1;
    this.legacy = config.legacyHeaders();
    this.denyWhenStoreFails = config.onStoreFailure() == RateLimitConfig.StoreFailureMode.DENY;
  }

  @Override
  public Future<GatewayResponse> filter(Exchange exchange, FilterChain chain) {
    String client = resolver.resolve(exchange);
    if (client == null) {
      if (config.missingKey() == RateLimitConfig.MissingKeyMode.DENY) {
        metrics.missingKey.increment();
        exchange.put(StandardAttributes.RATE_LIMIT_OUTCOME, OUTCOME_MISSING_KEY);
        GatewayResponse response = exchange.problem(403, "rate_limit_key_missing",
            "The request lacks the value this route is rate-limited by");
        response.headers().set(RateLimitPolicy.POLICY_HEADER, policy.policyHeader());
        return Future.succeededFuture(response);
      }
      client = "missing-key";
    }
    String key = space + client;
    if (store == null) {
      return decide(exchange, chain, local.tryConsume(key, cost), false);
    }
    Context context = Vertx.currentContext();
    // A child span of a traced request for the Redis round trip (SpanHandle.NONE otherwise).
    SpanHandle span = RequestSpan.child(exchange, "redis rate-limit")
        .attribute("db.system.name", "redis")
        .attribute("server.address", store.address());
    return store.tryConsume(key, policy.configuration(), cost, verbose, context)
        .transform(ar -> {
          if (ar.failed()) {
            span.end("rate_limit_store_unavailable");
            return storeFailed(exchange, chain, key);
          }
          span.attribute("edgeway.rate_limit.consumed", ar.result().consumed() ? "true" : "false");
          span.end(null);
          return decide(exchange, chain, ar.result(), false);
        });
  }

  private Future<GatewayResponse> storeFailed(Exchange exchange, FilterChain chain, String key) {
    if (denyWhenStoreFails) {
      metrics.unavailable.increment();
      exchange.put(StandardAttributes.RATE_LIMIT_OUTCOME, OUTCOME_UNAVAILABLE);
      GatewayResponse response = exchange.problem(503, "rate_limit_unavailable",
          "Rate limiting is temporarily unavailable");
      response.headers().set("Retry-After", "1");
      response.headers().set(DEGRADED_HEADER, "true");
      return Future.succeededFuture(response);
    }
    metrics.degraded.increment();
    return decide(exchange, chain, local.tryConsume(key, cost), true);
  }

  private Future<GatewayResponse> decide(Exchange exchange, FilterChain chain, BucketOutcome outcome, boolean degraded) {
    long[] available = outcome.available();
    if (!outcome.consumed()) {
      metrics.rejected.increment();
      exchange.put(StandardAttributes.RATE_LIMIT_OUTCOME, degraded ? OUTCOME_DEGRADED_REJECTED : OUTCOME_REJECTED);
      GatewayResponse response = exchange.problem(429, "rate_limited", "Too many requests");
      MultiMap headers = response.headers();
      headers.set("Retry-After", Long.toString(RateLimitPolicy.retryAfterSeconds(outcome.nanosToWait())));
      policy.writeHeaders(headers, available, legacy);
      if (degraded) {
        headers.set(DEGRADED_HEADER, "true");
      }
      return Future.succeededFuture(response);
    }
    metrics.allowed.increment();
    exchange.put(StandardAttributes.RATE_LIMIT_OUTCOME, degraded ? OUTCOME_DEGRADED : OUTCOME_ALLOWED);
    return chain.proceed(exchange).transform(ar -> {
      if (ar.succeeded()) {
        GatewayResponse response = ar.result();
        policy.writeHeaders(response.headers(), available, legacy);
        if (degraded) {
          response.headers().set(DEGRADED_HEADER, "true");
        }
        return Future.succeededFuture(response);
      }
      if (ar.cause() instanceof GatewayException e) {
        // Errors rendered by the core (502, 504...) carry the headers too.
        MultiMap extra = MultiMap.caseInsensitiveMultiMap();
        policy.writeHeaders(extra, available, legacy);
        if (degraded) {
          extra.set(DEGRADED_HEADER, "true");
        }
        Map<String, String> headers = new LinkedHashMap<>(e.headers());
        extra.forEach(h -> headers.put(h.getKey(), h.getValue()));
        return Future.failedFuture(new GatewayException(e.status(), e.code(), e.title(), headers));
      }
      return Future.failedFuture(ar.cause());
    });
  }
}
