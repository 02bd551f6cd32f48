package io.edgeway.ratelimit;

import java.net.URI;
import java.time.Duration;

/**
 * {@code rate-limit-store.redis}: the Redis server that cluster-scoped buckets live in.
 *
 * @param url {@code redis://host:port[/db]} or {@code rediss://...}; required
 * @param timeout how long one rate-limit decision may wait for Redis; default 50ms
 * @param connectTimeout TCP connect timeout; default 1s
 * @param failureThreshold consecutive failures (errors or timeouts) that open the breaker; default 3
 * @param coolDown how long an open breaker skips Redis before one probe request tries again; default 2s
 * @param keyPrefix prefix of every bucket key in Redis; default {@code edgeway:rl:}
 */
public record RedisStoreConfig(
    String url, Duration timeout, Duration connectTimeout, Integer failureThreshold, Duration coolDown,
    String keyPrefix) {

  public RedisStoreConfig {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("url: " + url + " (expected: redis://host:port)");
    }
    URI parsed;
    try {
      parsed = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("url: " + url + " (expected: redis://host:port)");
    }
    if (!("redis".equals(parsed.getScheme()) || "rediss".equals(parsed.getScheme())) || parsed.getHost() == null) {
      throw new IllegalArgumentException("url: " + url + " (expected: redis://host:port or rediss://host:port)");
    }
    timeout = positive("timeout", timeout, Duration.ofMillis(50));
    connectTimeout = positive("connect-timeout", connectTimeout, Duration.ofSeconds(1));
    failureThreshold = failureThreshold == null ? 3 : failureThreshold;
    if (failureThreshold < 1 || failureThreshold > 1000) {
      throw new IllegalArgumentException("failure-threshold: " + failureThreshold + " (expected: 1..1000)");
    }
    coolDown = positive("cool-down", coolDown, Duration.ofSeconds(2));
    keyPrefix = keyPrefix == null ? "edgeway:rl:" : keyPrefix;
  }

  private static Duration positive(String key, Duration value, Duration fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(key + ": " + value.toMillis() + "ms (expected: > 0)");
    }
    return value;
  }
}
