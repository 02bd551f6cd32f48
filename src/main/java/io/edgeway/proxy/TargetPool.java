package io.edgeway.proxy;

import io.vertx.core.Future;

/**
 * The connections of one event loop to one target, as the upstream call sees them: a lease per
 * exchange, given back whole ({@link #release}) or spoiled ({@link #discard}). HTTP/1.1 leases a
 * connection ({@link ConnectionPool}); HTTP/2 leases a stream slot on a shared connection
 * ({@link MultiplexedPool}), so discarding a lease there costs one stream, not the connection.
 */
interface TargetPool {
  /** A lease for one exchange; fails with {@link UpstreamFailure#BUSY} when saturated. */
  Future<ConnectionPool.Pooled> acquire();

  /** The exchange completed cleanly (response read, request sent). */
  void release(ConnectionPool.Pooled pooled);

  /** The exchange failed or was abandoned: what it used must not carry another one. */
  void discard(ConnectionPool.Pooled pooled);

  /** Closes what has been idle longer than {@code keepAliveNanos}. */
  void evictIdle(long keepAliveNanos);

  /**
   * A reload dropped the upstream: keep nothing idle, hand out no new lease on an idle
   * connection, close connections as their last exchange ends; the pool's {@code onDrained} runs
   * once nothing is open or waiting (checked now when {@code checkNow}, else at the next change).
   */
  void retire(boolean checkNow);

  /** Retired, and nothing open, opening or waiting. */
  boolean isDrained();

  /** Connections in use, idle, and requests waiting, for metrics; callable from any thread. */
  PoolStats stats();

  /** Closes what is idle and fails the waiters; what is in use closes with its exchange. */
  void close();

  /**
   * A reload handed this pool to the next upstream of its route (its target and pool settings did
   * not change): from now on {@code onDrained} is that upstream's loop's. On the pool's loop only.
   */
  void handOver(Runnable onDrained);
}
