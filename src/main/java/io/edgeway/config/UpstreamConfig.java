package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import io.edgeway.spi.Required;
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
 * @param tls verification and client certificate for {@code https://} targets; default: the
 *     system trust store, host name verified, no client certificate
 * @param protocol how targets are spoken to; default {@link UpstreamProtocol#HTTP1}; {@code h2c}
 *     needs {@code http://} targets, {@code h2} (HTTP/2 negotiated by ALPN) {@code https://} ones
 */
public record UpstreamConfig(
    @Required List<TargetConfig> targets,
    LoadBalancing loadBalancing,
    HashOn hashOn,
    TimeoutsConfig timeouts,
    PoolConfig pool,
    HealthCheckConfig healthCheck,
    OutlierDetectionConfig outlierDetection,
    UpstreamTlsConfig tls,
    UpstreamProtocol protocol) {

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
    if (tls != null && targets.stream().noneMatch(t -> t.url().tls())) {
      throw new IllegalArgumentException("tls: {...} (expected: only on an upstream with https:// targets)");
    }
    tls = tls == null ? UpstreamTlsConfig.defaults() : tls;
    protocol = protocol == null ? UpstreamProtocol.HTTP1 : protocol;
    if (protocol == UpstreamProtocol.H2C) {
      for (TargetConfig target : targets) {
        if (target.url().tls()) {
          throw new IllegalArgumentException("protocol: h2c (expected: http:// targets only; " + target.url()
              + " is https)");
        }
      }
    }
    if (protocol == UpstreamProtocol.H2) {
      // h2 is negotiated inside the TLS handshake; a clear-text target has no handshake to
      // negotiate it in, and silently speaking h2c or HTTP/1.1 to it would not be what was asked.
      for (TargetConfig target : targets) {
        if (!target.url().tls()) {
          throw new IllegalArgumentException("protocol: h2 (expected: https:// targets only; " + target.url()
              + " is plain text, use h2c for HTTP/2 without TLS)");
        }
      }
    }
  }

  /** An upstream with health checks or outlier detection, default TLS, spoken to in HTTP/1.1. */
  public UpstreamConfig(
      List<TargetConfig> targets, LoadBalancing loadBalancing, HashOn hashOn, TimeoutsConfig timeouts,
      PoolConfig pool, HealthCheckConfig healthCheck, OutlierDetectionConfig outlierDetection) {
    this(targets, loadBalancing, hashOn, timeouts, pool, healthCheck, outlierDetection, null, null);
  }

  /** An upstream without health checks or outlier detection. */
  public UpstreamConfig(
      List<TargetConfig> targets, LoadBalancing loadBalancing, HashOn hashOn, TimeoutsConfig timeouts,
      PoolConfig pool) {
    this(targets, loadBalancing, hashOn, timeouts, pool, null, null, null, null);
  }
}
