package io.edgeway.ratelimit;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.TimeMeter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Process-wide per-node bucket stores, one per bucket space (limits fingerprint + group or route),
 * so routes that share a {@code group} share their per-node buckets. Reference-counted: a store
 * lives while a filter uses it, and survives a reload that keeps the same limits (the new route's
 * filter takes a reference before the old one is closed).
 */
public final class LocalBucketRegistry {
  private final ConcurrentMap<String, Entry> stores = new ConcurrentHashMap<>();
  private final TimeMeter time;
  private final Ticker ticker;

  private static final class Entry {
    final LocalBucketStore store;
    int references;

    Entry(LocalBucketStore store) {
      this.store = store;
    }
  }

  /** Real time. */
  public LocalBucketRegistry() {
    this(TimeMeter.SYSTEM_NANOTIME, Ticker.systemTicker());
  }

  LocalBucketRegistry(TimeMeter time, Ticker ticker) {
    this.time = time;
    this.ticker = ticker;
  }

  /** Takes a reference to the store of {@code space}, creating it on first use. Load time only. */
  LocalBucketStore acquire(String space, RateLimitPolicy policy, int maxBuckets) {
    return stores.compute(space, (k, existing) -> {
      Entry entry = existing != null ? existing : new Entry(new LocalBucketStore(policy, maxBuckets, time, ticker));
      entry.references++;
      return entry;
    }).store;
  }

  /** Drops a reference; the last one removes the store. */
  void release(String space) {
    stores.computeIfPresent(space, (k, entry) -> --entry.references <= 0 ? null : entry);
  }

  /** Per-node buckets held now, over all spaces. */
  long buckets() {
    long total = 0;
    for (Entry entry : stores.values()) {
      total += entry.store.size();
    }
    return total;
  }

  int spaces() {
    return stores.size();
  }
}
