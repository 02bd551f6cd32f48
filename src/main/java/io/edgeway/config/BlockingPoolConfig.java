package io.edgeway.config;

/**
 * The worker pool plugins run blocking work on ({@code FilterContext.blocking()}), shared by all
 * routes and event loops.
 *
 * @param size threads; default 16 (1 to 1024). Idle threads end after a minute and are started
 *     again on demand.
 * @param maxQueued tasks waiting for a thread before {@code run} fails at once with 503
 *     {@code blocking_pool_saturated}; default 1024 (0 to 1000000; 0: no waiting, a task runs at
 *     once or is refused). Always bounded: a backlog would outlive the requests waiting for it.
 */
public record BlockingPoolConfig(Integer size, Integer maxQueued) {

  public BlockingPoolConfig {
    size = size == null ? 16 : ComponentChecks.range("size", size, 1, 1024);
    maxQueued = maxQueued == null ? 1024 : ComponentChecks.range("max-queued", maxQueued, 0, 1_000_000);
  }

  /** All defaults. */
  public static BlockingPoolConfig defaults() {
    return new BlockingPoolConfig(null, null);
  }
}
