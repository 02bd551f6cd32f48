package io.edgeway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitConfigTest {
  private static final List<LimitConfig> ONE = List.of(new LimitConfig(10L, Duration.ofSeconds(1), null, null));

  @Test
  void defaults() {
    RateLimitConfig c = new RateLimitConfig(null, ONE, null, null, null, null, null, null, null);
    assertThat(c.key()).containsExactly("ip");
    assertThat(c.scope()).isEqualTo(RateLimitConfig.Scope.NODE);
    assertThat(c.onStoreFailure()).isEqualTo(RateLimitConfig.StoreFailureMode.ALLOW);
    assertThat(c.cost()).isEqualTo(1);
    assertThat(c.legacyHeaders()).isTrue();
    assertThat(c.missingKey()).isEqualTo(RateLimitConfig.MissingKeyMode.DENY);
    assertThat(c.maxBuckets()).isEqualTo(100_000);
    assertThat(ONE.get(0).refill()).isEqualTo(LimitConfig.Refill.GREEDY);
    RedisStoreConfig redis = new RedisStoreConfig("redis://127.0.0.1:6379", null, null, null, null, null, null);
    assertThat(redis.timeout()).isEqualTo(Duration.ofMillis(50));
    assertThat(redis.failureThreshold()).isEqualTo(3);
    assertThat(redis.coolDown()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void rejectsWhatCannotWork() {
    assertThatThrownBy(() -> new RateLimitConfig(List.of("path"), ONE, null, null, null, null, null, null, null))
        .hasMessage("key: path (expected: ip, consumer, route, header:<Header-Name>, or a list of these)");
    assertThatThrownBy(() -> new RateLimitConfig(List.of("ip", "IP"), ONE, null, null, null, null, null, null, null))
        .hasMessage("key: IP (expected: each key part once)");
    assertThatThrownBy(() -> new RateLimitConfig(null, List.of(), null, null, null, null, null, null, null))
        .hasMessageStartingWith("limits: [] (expected:");
    assertThatThrownBy(() -> new RateLimitConfig(null, ONE, null, null, null, 11, null, null, null))
        .hasMessage("cost: 11 (expected: 1..10, the smallest capacity)");
    assertThatThrownBy(() -> new LimitConfig(0L, Duration.ofSeconds(1), null, null))
        .hasMessage("capacity: 0 (expected: 1..1000000000)");
    assertThatThrownBy(() -> new LimitConfig(5L, null, null, null))
        .hasMessage("period: null (expected: a duration >= 1ms, such as 1s or 1h)");
    String expected = " (expected: redis://host:port, rediss://host:port or redis-sentinel://host:port[,host:port]#master)";
    assertThatThrownBy(() -> new RedisStoreConfig("http://x:1", null, null, null, null, null, null))
        .hasMessage("url: http://x:1" + expected);
    assertThatThrownBy(() -> new RedisStoreConfig("redis-sentinel://127.0.0.1:26379", null, null, null, null, null, null))
        .as("a Sentinel URL must name the master").hasMessage("url: redis-sentinel://127.0.0.1:26379" + expected);
    assertThatThrownBy(() -> new RedisStoreConfig("redis://", null, null, null, null, null, null))
        .hasMessage("url: redis://" + expected);
  }

  @Test
  void redisAddressesAndEventSubjectsNeverShowThePassword() {
    RedisStoreConfig plain = new RedisStoreConfig("redis://:secret@cache.internal:6380/2", null, null, null, null, null, null);
    assertThat(plain.address()).isEqualTo("cache.internal:6380");
    assertThat(plain.subject()).isEqualTo("redis://cache.internal:6380");
    assertThat(new RedisStoreConfig("redis://cache.internal", null, null, null, null, null, null).address())
        .isEqualTo("cache.internal:6379");
    RedisStoreConfig sentinel = new RedisStoreConfig(
        "redis-sentinel://:secret@10.0.0.1:26379,10.0.0.2:26380/0#edgeway", null, null, null, null, null, null);
    assertThat(sentinel.address()).isEqualTo("10.0.0.1:26379,10.0.0.2:26380#edgeway");
    assertThat(sentinel.subject()).isEqualTo("redis-sentinel://10.0.0.1:26379,10.0.0.2:26380#edgeway");
    RedisStoreConfig cluster = new RedisStoreConfig("redis://:secret@10.0.0.3:7000", null, null, null, null, null, true);
    assertThat(cluster.subject()).isEqualTo("redis-cluster://10.0.0.3:7000");
    assertThatThrownBy(() -> new RedisStoreConfig("redis-sentinel://10.0.0.1:26379#m", null, null, null, null, null, true))
        .hasMessageStartingWith("cluster: true (expected:");
  }
}
