package io.edgeway.config;

/**
 * What the gateway offers plugins (filter factories) process-wide.
 *
 * @param blockingPool the threads behind {@code FilterContext.blocking()}
 */
public record PluginsConfig(BlockingPoolConfig blockingPool) {

  public PluginsConfig {
    blockingPool = blockingPool == null ? BlockingPoolConfig.defaults() : blockingPool;
  }

  /** All defaults. */
  public static PluginsConfig defaults() {
    return new PluginsConfig(null);
  }
}
