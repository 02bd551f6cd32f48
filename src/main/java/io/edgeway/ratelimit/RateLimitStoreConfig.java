package io.edgeway.ratelimit;

import io.edgeway.config.ConfigSection;

/**
 * The top-level {@code rate-limit-store} section: where {@code scope: cluster} limits keep their
 * buckets. Without it every limit is per node.
 *
 * @param redis the Redis server shared by all gateway instances; null when not configured
 */
public record RateLimitStoreConfig(RedisStoreConfig redis) {

  /** The section, owned by the {@link RateLimitModule}; absent: no store. */
  public static final ConfigSection<RateLimitStoreConfig> SECTION =
      ConfigSection.of("rate-limit-store", RateLimitStoreConfig.class, defaults());

  /** No store: node scope only. */
  public static RateLimitStoreConfig defaults() {
    return new RateLimitStoreConfig(null);
  }
}
