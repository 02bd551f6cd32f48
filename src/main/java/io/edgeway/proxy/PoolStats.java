package io.edgeway.proxy;

/**
 * A snapshot of one target's connection pools for the admin API and metrics: summed over the
 * event loops that have used the upstream (each loop has its own pool per target).
 *
 * @param open connections open or being opened
 * @param idle open connections waiting for a request (keep-alive)
 * @param waiters requests queued for a connection (bounded by {@code pool.max-wait-queue} per loop)
 */
public record PoolStats(int open, int idle, int waiters) {
  /** Nothing opened yet: an upstream no loop has used. */
  public static final PoolStats EMPTY = new PoolStats(0, 0, 0);

  /** Connections serving an exchange or being opened for one. */
  public int inUse() {
    return open - idle;
  }

  PoolStats plus(PoolStats other) {
    return new PoolStats(open + other.open, idle + other.idle, waiters + other.waiters);
  }
}
