package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where a route's requests go.
 *
 * @param targets one or more targets
 * @param loadBalancing default {@link LoadBalancing#ROUND_ROBIN}
 * @param hashOn required with {@link LoadBalancing#CONSISTENT_HASH}, not allowed otherwise
 * @param timeouts default {@link TimeoutsConfig#defaults()}
 * @param pool default {@link PoolConfig#defaults()}
 * @param healthCheck active health checks; default none
 * @param outlierDetection passive outlier ejection; default none
 */
public record UpstreamConfig(
    @Required List<TargetConfig> targets,
    LoadBalancing loadBalancing,
    HashOn hashOn,
    TimeoutsConfig timeouts,
    PoolConfig pool,
    HealthCheckConfig healthCheck,
    OutlierDetectionConfig outlierDetection) {

  public UpstreamConfig {
    requireNonNull(targets, "targets");
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("targets: [] (expected: at least one target)");
    }
    targets = List.copyOf(targets);
    loadBalancing = loadBalancing == null ? LoadBalancing.ROUND_ROBIN : loadBalancing;
    if (loadBalancing == LoadBalancing.CONSISTENT_HASH && hashOn == null) {
      throw new IllegalArgumentException("load-balancing: consistent-hash (expected: a hash-on key with ip, path, "
          + "consumer or header:<Name>)");
    }
    if (loadBalancing != LoadBalancing.CONSISTENT_HASH && hashOn != null) {
      throw new IllegalArgumentException("hash-on: " + hashOn + " (expected: no hash-on unless load-balancing is "
          + "consistent-hash)");
    }
    timeouts = timeouts == null ? TimeoutsConfig.defaults() : timeouts;
    pool = pool == null ? PoolConfig.defaults() : pool;
  }

  /** An upstream without health checks or outlier detection. */
  public UpstreamConfig(
      List<TargetConfig> targets, LoadBalancing loadBalancing, HashOn hashOn, TimeoutsConfig timeouts,
      PoolConfig pool) {
    this(targets, loadBalancing, hashOn, timeouts, pool, null, null);
  }
}
