package io.edgeway.cache;

import io.edgeway.spi.DataSize;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Configuration of the {@code cache} filter.
 *
 * @param ttl freshness used when the upstream gives none (no {@code s-maxage}, {@code max-age} or
 *     {@code Expires}); default 60s
 * @param maxEntrySize responses larger than this stream through uncached; default 1MiB
 * @param staleIfError how long after expiry a stale entry may answer instead of an upstream error
 *     (5xx, timeout, connection failure, open breaker); a response's own {@code stale-if-error}
 *     directive wins; default 0s (off)
 * @param staleWhileRevalidate how long after expiry a stale entry is served while one background
 *     request refreshes it; a response's own directive wins; default 0s (off)
 * @param key what identifies an entry besides route, host, method and canonical path
 * @param perConsumer true: requests with {@code Authorization} (or an authenticated consumer) are
 *     cached per consumer identity; false (default): such requests bypass the cache
 * @param statuses cacheable statuses; default 200, 203, 204, 300, 301, 404, 410
 * @param storeSetCookie store responses that carry {@code Set-Cookie}; default false
 * @param coalesceTimeout how long a request waits for a concurrent identical miss before going
 *     upstream itself; default 5s
 */
public record CacheConfig(
    Duration ttl, DataSize maxEntrySize, Duration staleIfError, Duration staleWhileRevalidate,
    CacheKeyConfig key, Boolean perConsumer, List<Integer> statuses, Boolean storeSetCookie,
    Duration coalesceTimeout) {

  static final List<Integer> DEFAULT_STATUSES = List.of(200, 203, 204, 300, 301, 404, 410);

  public CacheConfig {
    ttl = ttl == null ? Duration.ofSeconds(60) : ttl;
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: a duration >= 0s)");
    }
    maxEntrySize = maxEntrySize == null ? DataSize.parse("1MiB") : maxEntrySize;
    if (maxEntrySize.bytes() > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("max-entry-size: " + maxEntrySize + " (expected: at most 1GiB)");
    }
    staleIfError = nonNegative("stale-if-error", staleIfError);
    staleWhileRevalidate = nonNegative("stale-while-revalidate", staleWhileRevalidate);
    key = key == null ? new CacheKeyConfig(null, null, null) : key;
    perConsumer = perConsumer != null && perConsumer;
    statuses = statuses == null ? DEFAULT_STATUSES : List.copyOf(new TreeSet<>(statuses));
    if (statuses.isEmpty()) {
      throw new IllegalArgumentException("statuses: [] (expected: at least one status)");
    }
    for (int status : statuses) {
      if (status < 200 || status > 599 || status == 206 || status == 304) {
        throw new IllegalArgumentException("statuses: " + status
            + " (expected: a final status from 200 to 599, not 206 or 304)");
      }
    }
    storeSetCookie = storeSetCookie != null && storeSetCookie;
    coalesceTimeout = coalesceTimeout == null ? Duration.ofSeconds(5) : coalesceTimeout;
    if (coalesceTimeout.isNegative() || coalesceTimeout.isZero()) {
      throw new IllegalArgumentException("coalesce-timeout: " + coalesceTimeout + " (expected: a duration > 0s)");
    }
  }

  private static Duration nonNegative(String key, Duration value) {
    if (value == null) {
      return Duration.ZERO;
    }
    if (value.isNegative()) {
      throw new IllegalArgumentException(key + ": " + value + " (expected: a duration >= 0s)");
    }
    return value;
  }

  Set<Integer> statusSet() {
    return Set.copyOf(statuses);
  }
}
