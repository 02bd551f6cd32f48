package io.edgeway.cache;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.edgeway.spi.SharedCache;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * The in-memory store behind every plugin's {@link SharedCache}: one Caffeine cache bounded in
 * bytes ({@code cache.plugin-max-size}), entries keyed by filter name and key, each with its own
 * time to live. Separate from the response cache, so a plugin filling its cache never evicts
 * cached responses, and the reverse.
 */
final class PluginCaches {
  // Roughly what a Caffeine node, the key record and the buffer cost beside their bytes.
  private static final int ENTRY_OVERHEAD = 96;

  private record Key(String namespace, String key) {}

  private record Entry(Buffer value, long ttlNanos) {}

  private final Cache<Key, Entry> cache;
  private volatile long maxBytes;

  PluginCaches(long maxBytes) {
    this(maxBytes, Ticker.systemTicker());
  }

  PluginCaches(long maxBytes, Ticker ticker) {
    this.maxBytes = maxBytes;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((Key k, Entry e) -> weight(k, e.value()))
        // Each entry lives for its own TTL from its last write; reads do not extend it.
        .expireAfter(Expiry.writing((Key key, Entry entry) -> Duration.ofNanos(entry.ttlNanos())))
        .ticker(requireNonNull(ticker, "ticker"))
        // Maintenance inline: callers are event loops, and the work is small; nothing on the common pool.
        .executor(Runnable::run)
        .build();
  }

  /** The cache the filter {@code filterName} sees. */
  SharedCache forFilter(String filterName) {
    requireNonNull(filterName, "filterName");
    return new SharedCache() {
      @Override
      public Buffer get(String key) {
        Entry entry = cache.getIfPresent(new Key(filterName, requireNonNull(key, "key")));
        return entry == null ? null : entry.value().copy();
      }

      @Override
      public void put(String key, Buffer value, Duration ttl) {
        requireNonNull(key, "key");
        requireNonNull(value, "value");
        if (ttl == null || ttl.toMillis() < 1) {
          throw new IllegalArgumentException("ttl: " + ttl + " (expected: at least 1ms)");
        }
        Key k = new Key(filterName, key);
        if (weight(k, value) > maxBytes) {
          cache.invalidate(k);
          return;
        }
        long ttlNanos;
        try {
          ttlNanos = ttl.toNanos();
        } catch (ArithmeticException e) {
          ttlNanos = Long.MAX_VALUE;
        }
        cache.put(k, new Entry(value.copy(), ttlNanos));
      }

      @Override
      public void invalidate(String key) {
        cache.invalidate(new Key(filterName, requireNonNull(key, "key")));
      }
    };
  }

  /** A reload of {@code cache.plugin-max-size}: entries are kept, evicted down to a smaller bound. */
  void resize(long bytes) {
    maxBytes = bytes;
    cache.policy().eviction().ifPresent(eviction -> eviction.setMaximum(bytes));
  }

  /** Bytes held now, as the bound counts them. */
  long weightedSize() {
    cache.cleanUp();
    return cache.policy().eviction().flatMap(e -> e.weightedSize().stream().boxed().findFirst()).orElse(0L);
  }

  /** For {@code GET /cache/stats}: {@code entries}, {@code bytes} (as the bound counts them), {@code maxBytes}. */
  io.vertx.core.json.JsonObject stats() {
    return new io.vertx.core.json.JsonObject().put("entries", entries()).put("bytes", weightedSize())
        .put("maxBytes", maxBytes);
  }

  long entries() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  private static int weight(Key key, Buffer value) {
    long weight = ENTRY_OVERHEAD + 2L * (key.namespace().length() + key.key().length()) + value.length();
    return (int) Math.min(Integer.MAX_VALUE, weight);
  }
}
