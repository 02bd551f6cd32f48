package io.edgeway.ratelimit;

/**
 * The top-level {@code rate-limit-store} section: where {@code scope: cluster} limits keep their
 * buckets. Without it every limit is per node.
 *
 * @param redis the Redis server shared by all gateway instances; null when not configured
 */
public record RateLimitStoreConfig(RedisStoreConfig redis) {

  /** No store: node scope only. */
  public static RateLimitStoreConfig defaults() {
    return new RateLimitStoreConfig(null);
  }
}
