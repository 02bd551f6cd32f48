package io.edgeway.cache;

import io.edgeway.config.ConfigSection;
import io.edgeway.spi.DataSize;

/**
 * The top-level {@code cache} section: the process-wide response store shared by every route's
 * {@code cache} filter.
 *
 * @param maxSize the store's bound in bytes (body + headers + key of every entry); default 256MiB
 * @param pluginMaxSize the bound of the plugins' shared cache ({@code io.edgeway.spi.SharedCache}),
 *     separate from the response store; default 16MiB
 */
public record CacheStoreConfig(DataSize maxSize, DataSize pluginMaxSize) {

  /** The section, owned by the {@link CacheModule}; absent: every default. */
  public static final ConfigSection<CacheStoreConfig> SECTION =
      ConfigSection.of("cache", CacheStoreConfig.class, defaults());

  public CacheStoreConfig {
    maxSize = maxSize == null ? DataSize.parse("256MiB") : maxSize;
    if (maxSize.bytes() < 1024) {
      throw new IllegalArgumentException("max-size: " + maxSize + " (expected: at least 1KiB)");
    }
    pluginMaxSize = pluginMaxSize == null ? DataSize.parse("16MiB") : pluginMaxSize;
    if (pluginMaxSize.bytes() < 1024) {
      throw new IllegalArgumentException("plugin-max-size: " + pluginMaxSize + " (expected: at least 1KiB)");
    }
  }

  /** All defaults. */
  public static CacheStoreConfig defaults() {
    return new CacheStoreConfig(null, null);
  }
}
