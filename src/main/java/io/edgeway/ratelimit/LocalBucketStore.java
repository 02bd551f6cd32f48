package io.edgeway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucket;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.time.Duration;

/**
 * Per-node buckets in a bounded Caffeine cache: an idle bucket expires (after about twice the
 * longest period, when it would be full again anyway) and the number of buckets is capped, so a
 * flood of distinct keys cannot exhaust memory (G7). Bucket4j local buckets are lock-free (CAS),
 * safe to share between event loops.
 */
final class LocalBucketStore {
  private final Cache<String, LocalBucket> buckets;
  private final BucketConfiguration configuration;
  private final TimeMeter time;
  private final boolean verbose;

  LocalBucketStore(RateLimitPolicy policy, int maxBuckets, TimeMeter time, Ticker ticker) {
    this.configuration = policy.configuration();
    this.time = time;
    this.verbose = policy.size() > 1;
    Duration idle = policy.longestPeriod().multipliedBy(2);
    if (idle.compareTo(Duration.ofSeconds(1)) < 0) {
      idle = Duration.ofSeconds(1);
    }
    this.buckets = Caffeine.newBuilder()
        .maximumSize(maxBuckets)
        .expireAfterAccess(idle)
        .ticker(ticker)
        // Maintenance (eviction) inline: cheap, and no surprise work on the common pool.
        .executor(Runnable::run)
        .build();
  }

  BucketOutcome tryConsume(String key, long cost) {
    LocalBucket bucket = buckets.get(key, k -> newBucket());
    if (verbose) {
      return RateLimitPolicy.outcome(bucket.asVerbose().tryConsumeAndReturnRemaining(cost));
    }
    return RateLimitPolicy.outcome(bucket.tryConsumeAndReturnRemaining(cost));
  }

  private LocalBucket newBucket() {
    LocalBucketBuilder builder = Bucket.builder().withCustomTimePrecision(time);
    for (Bandwidth bandwidth : configuration.getBandwidths()) {
      builder.addLimit(bandwidth);
    }
    return builder.build();
  }

  /** Buckets currently held (after pending evictions ran). */
  long size() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }
}
