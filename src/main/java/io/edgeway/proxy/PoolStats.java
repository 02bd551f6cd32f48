package io.edgeway.proxy;

/**
 * The connections of one target, summed over the event loops (each loop has its own pool per
 * target): what the admin API and the metrics show.
 *
 * @param inUse connections serving an exchange, or being opened for one
 * @param idle keep-alive connections waiting for the next exchange
 * @param waiters requests waiting for a connection (all busy, at the pool's bound)
 */
public record PoolStats(int inUse, int idle, int waiters) {

  /** No connection and no waiter. */
  public static final PoolStats EMPTY = new PoolStats(0, 0, 0);

  /** Connections open or being opened. */
  public int open() {
    return inUse + idle;
  }

  PoolStats plus(PoolStats other) {
    return new PoolStats(inUse + other.inUse, idle + other.idle, waiters + other.waiters);
  }
}
