package io.edgeway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.spi.FilterChain;
import io.edgeway.spi.GatewayException;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The filter against a test exchange and a lambda chain, with a fake clock; no sockets. */
class RateLimitFilterTest {
  private final FakeTime time = new FakeTime();
  private final LocalBucketRegistry registry = new LocalBucketRegistry(time, time);
  private final RateLimitMetrics metrics = new RateLimitMetrics();
  private final AtomicInteger upstreamCalls = new AtomicInteger();
  private final FilterChain chain = ex -> {
    upstreamCalls.incrementAndGet();
    return Future.succeededFuture(GatewayResponse.of(200));
  };

  private static LimitConfig limit(long capacity, Duration period) {
    return new LimitConfig(capacity, period, null, null);
  }

  private static RateLimitConfig config(List<String> key, List<LimitConfig> limits) {
    return new RateLimitConfig(key, limits, null, null, null, null, null, null, null);
  }

  private RateLimitFilter filter(RateLimitConfig config) {
    return filter(config, null, "r:search");
  }

  private RateLimitFilter filter(RateLimitConfig config, RedisBucketStore store, String group) {
    RateLimitPolicy policy = new RateLimitPolicy(config.limits());
    String space = policy.signature() + ":" + group;
    return new RateLimitFilter(config, policy, space, registry.acquire(space, policy, config.maxBuckets()), store,
        metrics);
  }

  private static GatewayResponse run(RateLimitFilter filter, TestExchange exchange, FilterChain chain) {
    Future<GatewayResponse> f = filter.filter(exchange, chain);
    assertThat(f.isComplete()).isTrue();
    return f.result();
  }

  private GatewayResponse run(RateLimitFilter filter, TestExchange exchange) {
    return run(filter, exchange, chain);
  }

  @Test
  void allowsCapacityThenAnswers429WithoutCallingUpstream() {
    RateLimitFilter f = filter(config(null, List.of(limit(3, Duration.ofSeconds(1)))));
    for (int i = 0; i < 3; i++) {
      TestExchange ex = new TestExchange("10.0.0.1");
      assertThat(run(f, ex).status()).isEqualTo(200);
      assertThat(ex.get(StandardAttributes.RATE_LIMIT_OUTCOME)).isEqualTo("allowed");
    }
    TestExchange ex = new TestExchange("10.0.0.1");
    GatewayResponse rejected = run(f, ex);
    assertThat(rejected.status()).isEqualTo(429);
    assertThat(rejected.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(new JsonObject(rejected.body().buffer()).getString("code")).isEqualTo("rate_limited");
    assertThat(rejected.headers().get("Retry-After")).isEqualTo("1");
    assertThat(rejected.headers().get("RateLimit")).isEqualTo("\"default\";r=0;t=1");
    assertThat(ex.get(StandardAttributes.RATE_LIMIT_OUTCOME)).isEqualTo("rejected");
    assertThat(upstreamCalls).hasValue(3);
    assertThat(metrics.rejected.sum()).isEqualTo(1);
  }

  @Test
  void greedyRefillGivesTokensBackContinuously() {
    RateLimitFilter f = filter(config(null, List.of(limit(10, Duration.ofSeconds(10)))));
    for (int i = 0; i < 10; i++) {
      assertThat(run(f, new TestExchange("10.0.0.1")).status()).isEqualTo(200);
    }
    GatewayResponse rejected = run(f, new TestExchange("10.0.0.1"));
    assertThat(rejected.status()).isEqualTo(429);
    assertThat(rejected.headers().get("Retry-After")).isEqualTo("1");
    time.advance(Duration.ofMillis(999));
    assertThat(run(f, new TestExchange("10.0.0.1")).status()).isEqualTo(429);
    time.advance(Duration.ofMillis(1));
    assertThat(run(f, new TestExchange("10.0.0.1")).status()).isEqualTo(200);
    assertThat(run(f, new TestExchange("10.0.0.1")).status()).isEqualTo(429);
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUp() {
    RateLimitFilter f = filter(config(null, List.of(limit(2, Duration.ofSeconds(5)))));
    run(f, new TestExchange("10.0.0.1"));
    run(f, new TestExchange("10.0.0.1"));
    // One token needs 2.5 s: Retry-After 3, never rounded down.
    assertThat(run(f, new TestExchange("10.0.0.1")).headers().get("Retry-After")).isEqualTo("3");
    time.advance(Duration.ofMillis(2400));
    assertThat(run(f, new TestExchange("10.0.0.1")).headers().get("Retry-After")).isEqualTo("1");
    assertThat(RateLimitPolicy.retryAfterSeconds(1)).isEqualTo(1);
    assertThat(RateLimitPolicy.retryAfterSeconds(0)).isEqualTo(1);
    assertThat(RateLimitPolicy.retryAfterSeconds(1_000_000_000L)).isEqualTo(1);
    assertThat(RateLimitPolicy.retryAfterSeconds(1_000_000_001L)).isEqualTo(2);
  }

  @Test
  void headersFollowTheDraftAndLegacyHeadersAreSwitchable() {
    RateLimitFilter f = filter(config(null, List.of(limit(20, Duration.ofSeconds(1)))));
    GatewayResponse ok = run(f, new TestExchange("10.0.0.1"));
    assertThat(ok.headers().get("RateLimit-Policy")).isEqualTo("\"default\";q=20;w=1");
    assertThat(ok.headers().get("RateLimit")).isEqualTo("\"default\";r=19;t=1");
    assertThat(ok.headers().get("X-RateLimit-Limit")).isEqualTo("20");
    assertThat(ok.headers().get("X-RateLimit-Remaining")).isEqualTo("19");
    assertThat(ok.headers().get("X-RateLimit-Reset")).isEqualTo("1");

    RateLimitFilter noLegacy = filter(new RateLimitConfig(null, List.of(limit(20, Duration.ofMinutes(1))), null,
        null, "other", null, false, null, null), null, "g:other");
    GatewayResponse plain = run(noLegacy, new TestExchange("10.0.0.1"));
    assertThat(plain.headers().get("RateLimit-Policy")).isEqualTo("\"default\";q=20;w=60");
    // 1 of 20 tokens back takes 3 s.
    assertThat(plain.headers().get("RateLimit")).isEqualTo("\"default\";r=19;t=3");
    assertThat(plain.headers().contains("X-RateLimit-Limit")).isFalse();
  }

  @Test
  void allLimitsMustAllowAndEachIsReported() {
    RateLimitFilter f = filter(config(null, List.of(
        new LimitConfig(5L, Duration.ofSeconds(1), null, "burst"),
        new LimitConfig(7L, Duration.ofHours(1), null, "hourly"))));
    for (int i = 0; i < 5; i++) {
      assertThat(run(f, new TestExchange("10.0.0.1")).status()).isEqualTo(200);
    }
    GatewayResponse burst = run(f, new TestExchange("10.0.0.1"));
    assertThat(burst.status()).isEqualTo(429);
    assertThat(burst.headers().get("RateLimit-Policy")).isEqualTo("\"burst\";q=5;w=1, \"hourly\";q=7;w=3600");
    assertThat(burst.headers().get("RateLimit")).isEqualTo("\"burst\";r=0;t=1, \"hourly\";r=2;t=2572");
    assertThat(burst.headers().get("X-RateLimit-Limit")).isEqualTo("5");
    time.advance(Duration.ofSeconds(1));
    assertThat(run(f, new TestExchange("10.0.0.1")).status()).isEqualTo(200);
    GatewayResponse last = run(f, new TestExchange("10.0.0.1"));
    assertThat(last.status()).isEqualTo(200);
    assertThat(last.headers().get("X-RateLimit-Limit")).isEqualTo("7");
    assertThat(last.headers().get("X-RateLimit-Remaining")).isEqualTo("0");
    time.advance(Duration.ofSeconds(2));
    // The burst bucket is full again, the hourly one is empty: rejected, and Retry-After is the hourly wait.
    GatewayResponse hourly = run(f, new TestExchange("10.0.0.1"));
    assertThat(hourly.status()).isEqualTo(429);
    assertThat(Long.parseLong(hourly.headers().get("Retry-After"))).isBetween(500L, 515L);
  }

  @Test
  void automaticPolicyNamesForSeveralLimits() {
    RateLimitPolicy policy = new RateLimitPolicy(List.of(limit(20, Duration.ofSeconds(1)), limit(1000, Duration.ofHours(1))));
    assertThat(policy.policyHeader()).isEqualTo("\"20-per-1s\";q=20;w=1, \"1000-per-3600s\";q=1000;w=3600");
  }

  @Test
  void keysAreIsolatedPerClientIpAndConsumerFallsBackToIp() {
    RateLimitFilter byIp = filter(config(null, List.of(limit(1, Duration.ofMinutes(1)))));
    assertThat(run(byIp, new TestExchange("10.0.0.1")).status()).isEqualTo(200);
    assertThat(run(byIp, new TestExchange("10.0.0.2")).status()).isEqualTo(200);
    assertThat(run(byIp, new TestExchange("10.0.0.1")).status()).isEqualTo(429);

    RateLimitFilter byConsumer = filter(config(List.of("consumer"), List.of(limit(1, Duration.ofMinutes(1)))),
        null, "g:consumers");
    TestExchange alice = new TestExchange("10.0.0.9");
    alice.put(StandardAttributes.CONSUMER, "alice");
    assertThat(run(byConsumer, alice).status()).isEqualTo(200);
    TestExchange aliceAgain = new TestExchange("10.0.0.8");
    aliceAgain.put(StandardAttributes.CONSUMER, "alice");
    assertThat(run(byConsumer, aliceAgain).status()).isEqualTo(429);
    // Anonymous from the same IP as alice: its own (IP) bucket.
    assertThat(run(byConsumer, new TestExchange("10.0.0.9")).status()).isEqualTo(200);
    assertThat(run(byConsumer, new TestExchange("10.0.0.9")).status()).isEqualTo(429);
    // A consumer named like an IP does not share that IP's bucket.
    TestExchange named = new TestExchange("10.0.0.7");
    named.put(StandardAttributes.CONSUMER, "10.0.0.9");
    assertThat(run(byConsumer, named).status()).isEqualTo(200);
  }

  @Test
  void headerKeyMissingIsDeniedByDefaultOrSharedWhenConfigured() {
    RateLimitFilter deny = filter(config(List.of("header:X-Api-Key"), List.of(limit(1, Duration.ofMinutes(1)))));
    TestExchange missing = new TestExchange("10.0.0.1");
    GatewayResponse denied = run(deny, missing);
    assertThat(denied.status()).isEqualTo(403);
    assertThat(new JsonObject(denied.body().buffer()).getString("code")).isEqualTo("rate_limit_key_missing");
    assertThat(missing.get(StandardAttributes.RATE_LIMIT_OUTCOME)).isEqualTo("missing-key");
    assertThat(run(deny, new TestExchange("10.0.0.1", "X-Api-Key", "k1")).status()).isEqualTo(200);
    assertThat(run(deny, new TestExchange("10.0.0.2", "X-Api-Key", "k1")).status()).isEqualTo(429);
    assertThat(run(deny, new TestExchange("10.0.0.2", "X-Api-Key", "k2")).status()).isEqualTo(200);
    assertThat(upstreamCalls).hasValue(2);

    RateLimitFilter shared = filter(new RateLimitConfig(List.of("header:X-Api-Key"),
        List.of(limit(1, Duration.ofMinutes(1))), null, null, "shared", null, null,
        RateLimitConfig.MissingKeyMode.SHARED, null), null, "g:shared");
    assertThat(run(shared, new TestExchange("10.0.0.1")).status()).isEqualTo(200);
    assertThat(run(shared, new TestExchange("10.0.0.2")).status()).isEqualTo(429);
  }

  @Test
  void compositeKeyNeedsEveryPart() {
    RateLimitFilter f = filter(config(List.of("ip", "header:X-Tenant"), List.of(limit(1, Duration.ofMinutes(1)))));
    assertThat(run(f, new TestExchange("10.0.0.1", "X-Tenant", "a")).status()).isEqualTo(200);
    assertThat(run(f, new TestExchange("10.0.0.1", "X-Tenant", "b")).status()).isEqualTo(200);
    assertThat(run(f, new TestExchange("10.0.0.2", "X-Tenant", "a")).status()).isEqualTo(200);
    assertThat(run(f, new TestExchange("10.0.0.1", "X-Tenant", "a")).status()).isEqualTo(429);
    assertThat(run(f, new TestExchange("10.0.0.1")).status()).isEqualTo(403);
  }

  @Test
  void routeKeyIsOneBucketForEveryone() {
    RateLimitFilter f = filter(config(List.of("route"), List.of(limit(2, Duration.ofMinutes(1)))));
    assertThat(run(f, new TestExchange("10.0.0.1")).status()).isEqualTo(200);
    assertThat(run(f, new TestExchange("10.0.0.2")).status()).isEqualTo(200);
    assertThat(run(f, new TestExchange("10.0.0.3")).status()).isEqualTo(429);
  }

  @Test
  void costTakesSeveralTokens() {
    RateLimitFilter f = filter(new RateLimitConfig(null, List.of(limit(10, Duration.ofMinutes(1))), null, null, null,
        4, null, null, null));
    assertThat(run(f, new TestExchange("10.0.0.1")).headers().get("RateLimit")).startsWith("\"default\";r=6;");
    assertThat(run(f, new TestExchange("10.0.0.1")).headers().get("RateLimit")).startsWith("\"default\";r=2;");
    assertThat(run(f, new TestExchange("10.0.0.1")).status()).isEqualTo(429);
  }

  @Test
  void routesInOneGroupShareBuckets() {
    RateLimitConfig cfg = new RateLimitConfig(null, List.of(limit(2, Duration.ofMinutes(1))), null, null,
        "public-api", null, null, null, null);
    RateLimitFilter a = filter(cfg, null, "g:public-api");
    RateLimitFilter b = filter(cfg, null, "g:public-api");
    assertThat(run(a, new TestExchange("10.0.0.1")).status()).isEqualTo(200);
    assertThat(run(b, new TestExchange("10.0.0.1")).status()).isEqualTo(200);
    assertThat(run(a, new TestExchange("10.0.0.1")).status()).isEqualTo(429);
  }

  @Test
  void upstreamErrorsCarryTheHeadersToo() {
    RateLimitFilter f = filter(config(null, List.of(limit(5, Duration.ofSeconds(1)))));
    Future<GatewayResponse> failed = f.filter(new TestExchange("10.0.0.1"),
        ex -> Future.failedFuture(new GatewayException(502, "upstream_unreachable", "Upstream unreachable")));
    assertThat(failed.failed()).isTrue();
    GatewayException e = (GatewayException) failed.cause();
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.code()).isEqualTo("upstream_unreachable");
    assertThat(e.headers()).containsEntry("RateLimit", "\"default\";r=4;t=1")
        .containsEntry("RateLimit-Policy", "\"default\";q=5;w=1");
  }

  @Test
  void unavailableStoreWithAllowFallsBackToNodeBucketsMarkedDegraded() {
    RedisBucketStore down = notStartedStore();
    RateLimitFilter f = filter(new RateLimitConfig(null, List.of(limit(2, Duration.ofMinutes(1))),
        RateLimitConfig.Scope.CLUSTER, RateLimitConfig.StoreFailureMode.ALLOW, null, null, null, null, null),
        down, "r:search");
    TestExchange first = new TestExchange("10.0.0.1");
    GatewayResponse ok = run(f, first);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.headers().get("RateLimit-Degraded")).isEqualTo("true");
    assertThat(first.get(StandardAttributes.RATE_LIMIT_OUTCOME)).isEqualTo("degraded");
    assertThat(run(f, new TestExchange("10.0.0.1")).status()).isEqualTo(200);
    GatewayResponse limited = run(f, new TestExchange("10.0.0.1"));
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers().get("RateLimit-Degraded")).isEqualTo("true");
    assertThat(metrics.degraded.sum()).isEqualTo(3);
  }

  @Test
  void unavailableStoreWithDenyAnswers503() {
    RateLimitFilter f = filter(new RateLimitConfig(null, List.of(limit(2, Duration.ofMinutes(1))),
        RateLimitConfig.Scope.CLUSTER, RateLimitConfig.StoreFailureMode.DENY, null, null, null, null, null),
        notStartedStore(), "r:search");
    TestExchange ex = new TestExchange("10.0.0.1");
    GatewayResponse response = run(f, ex);
    assertThat(response.status()).isEqualTo(503);
    assertThat(new JsonObject(response.body().buffer()).getString("code")).isEqualTo("rate_limit_unavailable");
    assertThat(ex.get(StandardAttributes.RATE_LIMIT_OUTCOME)).isEqualTo("unavailable");
    assertThat(upstreamCalls).hasValue(0);
  }

  private static RedisBucketStore notStartedStore() {
    return new RedisBucketStore(new RedisStoreConfig("redis://127.0.0.1:1", null, null, null, null, null, null),
        new StoreBreaker.Listener() {
          @Override
          public void opened(Throwable cause) {}

          @Override
          public void closed() {}
        });
  }
}
