package io.edgeway.ratelimit;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.edgeway.spi.BucketDecision;
import io.edgeway.spi.BucketLimit;
import io.edgeway.spi.TokenBuckets;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucket;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * The {@link TokenBuckets} plugins get: buckets in the Redis store when {@code rate-limit-store}
 * configures one (shared by every gateway on that Redis), otherwise per node in a bounded Caffeine
 * cache of Bucket4j local buckets (lock-free, shared by all event loops). One instance per
 * gateway; {@link #forFilter} gives each filter its namespace.
 *
 * <p>A bucket's key holds the namespace, the limit's fingerprint and the plugin's key
 * ({@code <limit>:p:<filter>|<key>}): the built-in {@code rate-limit} filter's keys read
 * {@code <limits>:r:<route>|...} or {@code :g:<group>|...}, so the two never meet in one Redis.
 */
final class PluginTokenBuckets {
  static final int MAX_LOCAL_BUCKETS = 100_000;

  private final Vertx vertx;
  private final RedisBucketStore redis;
  private final TimeMeter time;
  private final Cache<String, Held> local;

  /** A local bucket and how long it may sit unused: until it would be full again anyway. */
  private record Held(LocalBucket bucket, long idleNanos) {}

  /**
   * @param vertx for the context a Redis answer completes on when the caller has none; may be null
   *     without Redis (validation views have no Vert.x of their own)
   * @param redis the shared store, or null for per-node buckets
   */
  PluginTokenBuckets(Vertx vertx, RedisBucketStore redis) {
    this(vertx, redis, TimeMeter.SYSTEM_NANOTIME, Ticker.systemTicker());
  }

  PluginTokenBuckets(Vertx vertx, RedisBucketStore redis, TimeMeter time, Ticker ticker) {
    this.vertx = redis == null ? vertx : requireNonNull(vertx, "vertx");
    this.redis = redis;
    this.time = requireNonNull(time, "time");
    this.local = Caffeine.newBuilder()
        .maximumSize(MAX_LOCAL_BUCKETS)
        // Dropped once idle long enough to be full again: every use restarts that clock.
        .expireAfter(Expiry.accessing((String key, Held held) -> Duration.ofNanos(held.idleNanos())))
        .ticker(ticker)
        // Eviction inline, as the rate-limit filter's store does: cheap, no work on the common pool.
        .executor(Runnable::run)
        .build();
  }

  /** The buckets of the filter {@code filterName}. */
  TokenBuckets forFilter(String filterName) {
    requireNonNull(filterName, "filterName");
    String namespace = ":p:" + filterName + "|";
    return (key, limit, tokens) -> tryConsume(namespace, key, limit, tokens);
  }

  /** Buckets held on this node now (Redis buckets are not counted). */
  long localBuckets() {
    local.cleanUp();
    return local.estimatedSize();
  }

  private Future<BucketDecision> tryConsume(String namespace, String key, BucketLimit limit, long tokens) {
    requireNonNull(key, "key");
    requireNonNull(limit, "limit");
    if (tokens < 1 || tokens > limit.capacity()) {
      throw new IllegalArgumentException("tokens: " + tokens + " (expected: 1 to the capacity, " + limit.capacity() + ")");
    }
    String bucketKey = signature(limit) + namespace + key;
    if (redis == null) {
      Held held = local.get(bucketKey, k -> new Held(Bucket.builder().withCustomTimePrecision(time)
          .addLimit(b -> b.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
          .build(), idleNanos(limit)));
      return Future.succeededFuture(decision(RateLimitPolicy.outcome(held.bucket().tryConsumeAndReturnRemaining(tokens))));
    }
    Context context = Vertx.currentContext();
    BucketConfiguration configuration = BucketConfiguration.builder()
        .addLimit(b -> b.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
        .build();
    // Fails with RedisBucketStore.UNAVAILABLE (503 rate_limit_unavailable), as TokenBuckets documents.
    return redis.tryConsume(bucketKey, configuration, tokens, false, context != null ? context : vertx.getOrCreateContext())
        .map(PluginTokenBuckets::decision);
  }

  private static BucketDecision decision(BucketOutcome outcome) {
    return new BucketDecision(outcome.consumed(), Math.max(0, outcome.available()[0]),
        Duration.ofNanos(outcome.consumed() ? 0 : Math.max(0, outcome.nanosToWait())));
  }

  private static String signature(BucketLimit limit) {
    return limit.capacity() + "/" + limit.period().toMillis();
  }

  private static long idleNanos(BucketLimit limit) {
    try {
      return Math.max(Duration.ofSeconds(1).toNanos(), limit.period().multipliedBy(2).toNanos());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE; // a period of centuries: kept until evicted by the size bound
    }
  }
}
