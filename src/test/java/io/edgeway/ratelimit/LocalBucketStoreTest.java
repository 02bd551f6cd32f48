package io.edgeway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-node bucket cache stays bounded (G7) and forgets idle buckets. */
class LocalBucketStoreTest {
  private final FakeTime time = new FakeTime();

  private LocalBucketStore store(int maxBuckets, Duration period) {
    return new LocalBucketStore(new RateLimitPolicy(List.of(new LimitConfig(5L, period, null, null))), maxBuckets,
        time, time);
  }

  @Test
  void aFloodOfDistinctKeysStaysWithinMaxBuckets() {
    LocalBucketStore store = store(100, Duration.ofMinutes(1));
    for (int i = 0; i < 10_000; i++) {
      store.tryConsume("ip=10.1." + (i / 256) + "." + (i % 256), 1);
    }
    assertThat(store.size()).isLessThanOrEqualTo(100);
  }

  @Test
  void idleBucketsExpireAfterTwiceTheLongestPeriod() {
    LocalBucketStore store = store(1000, Duration.ofSeconds(10));
    for (int i = 0; i < 5; i++) {
      store.tryConsume("ip=10.0.0.1", 1);
    }
    assertThat(store.tryConsume("ip=10.0.0.1", 1).consumed()).isFalse();
    store.tryConsume("ip=10.0.0.2", 1);
    time.advance(Duration.ofSeconds(15));
    store.tryConsume("ip=10.0.0.2", 1);
    time.advance(Duration.ofSeconds(6));
    // 10.0.0.1 idle for 21 s > 20 s: gone; 10.0.0.2 was used 6 s ago: kept.
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void registrySharesAStorePerSpaceAndDropsItWithTheLastReference() {
    LocalBucketRegistry registry = new LocalBucketRegistry(time, time);
    RateLimitPolicy policy = new RateLimitPolicy(List.of(new LimitConfig(5L, Duration.ofSeconds(1), null, null)));
    LocalBucketStore a = registry.acquire("x:g:api", policy, 10);
    LocalBucketStore b = registry.acquire("x:g:api", policy, 10);
    assertThat(a).isSameAs(b);
    registry.release("x:g:api");
    assertThat(registry.spaces()).isEqualTo(1);
    registry.release("x:g:api");
    assertThat(registry.spaces()).isZero();
  }
}
