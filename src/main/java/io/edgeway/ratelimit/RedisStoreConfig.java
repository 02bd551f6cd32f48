package io.edgeway.ratelimit;

import io.lettuce.core.RedisURI;
import java.util.Set;
import java.time.Duration;

/**
 * {@code rate-limit-store.redis}: the Redis server that cluster-scoped buckets live in.
 *
 * @param url {@code redis://host:port[/db]}, {@code rediss://...}, or through Sentinel
 *     {@code redis-sentinel://host:port[,host:port...][/db]#master} (Lettuce URI syntax); required
 * @param timeout how long one rate-limit decision may wait for Redis; default 50ms
 * @param connectTimeout TCP connect timeout; default 1s
 * @param failureThreshold consecutive failures (errors or timeouts) that open the breaker; default 3
 * @param coolDown how long an open breaker skips Redis before one probe request tries again; default 2s
 * @param keyPrefix prefix of every bucket key in Redis; default {@code edgeway:rl:}
 * @param cluster true when {@code url} is one node of a Redis Cluster: the gateway discovers the
 *     others and sends each bucket to the node that owns its key; default false
 */
public record RedisStoreConfig(
    String url, Duration timeout, Duration connectTimeout, Integer failureThreshold, Duration coolDown,
    String keyPrefix, Boolean cluster) {

  private static final String EXPECTED =
      " (expected: redis://host:port, rediss://host:port or redis-sentinel://host:port[,host:port]#master)";

  public RedisStoreConfig {
    parse(url);
    timeout = positive("timeout", timeout, Duration.ofMillis(50));
    connectTimeout = positive("connect-timeout", connectTimeout, Duration.ofSeconds(1));
    failureThreshold = failureThreshold == null ? 3 : failureThreshold;
    if (failureThreshold < 1 || failureThreshold > 1000) {
      throw new IllegalArgumentException("failure-threshold: " + failureThreshold + " (expected: 1..1000)");
    }
    coolDown = positive("cool-down", coolDown, Duration.ofSeconds(2));
    keyPrefix = keyPrefix == null ? "edgeway:rl:" : keyPrefix;
    cluster = cluster != null && cluster;
    if (cluster && url.contains("-sentinel://")) {
      throw new IllegalArgumentException("cluster: true (expected: a redis:// or rediss:// node URL; Sentinel and Cluster "
          + "do not combine)");
    }
  }

  /** The URL as Lettuce reads it; a config error when it names no server or no Sentinel master. */
  static RedisURI parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("url: " + url + EXPECTED);
    }
    String scheme = url.substring(0, Math.max(0, url.indexOf("://")));
    if (!Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel").contains(scheme)) {
      throw new IllegalArgumentException("url: " + url + EXPECTED);
    }
    RedisURI uri;
    try {
      uri = RedisURI.create(url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("url: " + url + EXPECTED);
    }
    boolean sentinel = scheme.endsWith("-sentinel");
    if (sentinel ? uri.getSentinels().isEmpty() || uri.getSentinelMasterId() == null || uri.getSentinelMasterId().isBlank()
        : uri.getHost() == null || uri.getHost().isBlank()) {
      throw new IllegalArgumentException("url: " + url + EXPECTED);
    }
    return uri;
  }

  /**
   * Where the buckets live, for logs and the admin API: {@code host:port}, or through Sentinel
   * {@code sentinel:port,sentinel:port#master}. Never the password.
   */
  String address() {
    RedisURI uri = parse(url);
    if (uri.getSentinels().isEmpty()) {
      return uri.getHost() + ":" + uri.getPort();
    }
    StringBuilder b = new StringBuilder();
    for (RedisURI s : uri.getSentinels()) {
      b.append(b.length() == 0 ? "" : ",").append(s.getHost()).append(':').append(s.getPort());
    }
    return b.append('#').append(uri.getSentinelMasterId()).toString();
  }

  /**
   * The subject of ratelimit state events: {@code redis://host:port}, {@code redis-cluster://host:port}
   * (the node given) or {@code redis-sentinel://...#master}.
   */
  String subject() {
    String scheme = !parse(url).getSentinels().isEmpty() ? "redis-sentinel://" : cluster ? "redis-cluster://" : "redis://";
    return scheme + address();
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
