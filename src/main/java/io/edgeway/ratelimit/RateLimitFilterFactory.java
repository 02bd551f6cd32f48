package io.edgeway.ratelimit;

import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;

/**
 * {@code rate-limit}: token buckets (Bucket4j) per key, per node or cluster-wide through Redis.
 * Runs in {@link Stage#ADMISSION}, after authentication, so {@code key: consumer} sees the
 * identity set by {@code jwt}/{@code api-key}.
 */
public final class RateLimitFilterFactory implements GatewayFilterFactory<RateLimitConfig> {

  @Override
  public String name() {
    return "rate-limit";
  }

  @Override
  public Stage stage() {
    return Stage.ADMISSION;
  }

  @Override
  public Class<RateLimitConfig> configType() {
    return RateLimitConfig.class;
  }

  @Override
  public GatewayFilter create(RateLimitConfig config, FilterContext context) {
    RedisBucketStore store = null;
    if (config.scope() == RateLimitConfig.Scope.CLUSTER) {
      store = context.service(RedisBucketStore.class).orElseThrow(() -> new IllegalArgumentException(
          "scope: cluster (expected: a top-level rate-limit-store: { redis: { url: ... } } section, or scope: node)"));
    }
    RateLimitPolicy policy = new RateLimitPolicy(config.limits());
    String space = policy.signature() + ":" + (config.group() != null ? "g:" + config.group() : "r:" + context.routeId());
    LocalBucketRegistry registry = context.service(LocalBucketRegistry.class).orElseGet(LocalBucketRegistry::new);
    LocalBucketStore local = registry.acquire(space, policy, config.maxBuckets());
    context.onClose(() -> registry.release(space));
    RateLimitMetrics metrics = context.service(RateLimitMetrics.class).orElseGet(RateLimitMetrics::new);
    return new RateLimitFilter(config, policy, space, local, store, metrics);
  }
}
