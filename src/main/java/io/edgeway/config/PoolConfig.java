package io.edgeway.config;

/**
 * The upstream connection pool, per event loop.
 *
 * @param maxConnections open connections per target; default 64
 * @param maxWaitQueue requests waiting for a connection before 503; default 256 (always bounded:
 *     the Vert.x default is unbounded)
 */
public record PoolConfig(Integer maxConnections, Integer maxWaitQueue) {

  public PoolConfig {
    maxConnections = maxConnections == null ? 64 : ComponentChecks.range("max-connections", maxConnections, 1, 100_000);
    maxWaitQueue = maxWaitQueue == null ? 256 : ComponentChecks.range("max-wait-queue", maxWaitQueue, 0, 1_000_000);
  }

  /** All defaults. */
  public static PoolConfig defaults() {
    return new PoolConfig(null, null);
  }
}
