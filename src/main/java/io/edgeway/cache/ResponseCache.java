package io.edgeway.cache;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.edgeway.runtime.MetricSink;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The process-wide response store: one Caffeine cache bounded by weight in bytes (body, headers
 * and key of every entry), shared by every route's {@code cache} filter and every event loop.
 * Entries leave when their freshness and stale windows are over (an expiry driven by the injected
 * clock), when the byte bound evicts them, or when an operator purges them.
 *
 * <p>It also holds the in-flight misses ({@link #join}) so concurrent misses for one key collapse
 * into one upstream request, and per-route counters for the admin API.
 */
public final class ResponseCache {
  /** How a coalesced miss ended, as seen by the requests that waited for it. */
  enum FlightResult { STORED, NOT_STORED }

  private final Clock clock;
  private volatile long maxBytes;
  private final Cache<CacheKey, StoredValue> cache;
  // Routes whose cache filter exists, with how many filters use them: a reload creates the new
  // filter before it closes the old, so a kept route's entries survive and a removed route's go.
  private final ConcurrentHashMap<String, Integer> routeUsers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<CacheKey, CompletableFuture<FlightResult>> flights = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RouteCounters> routes = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder invalidations = new LongAdder();
  // Every key stored for a host and path, whichever route stored it: an unsafe request invalidates
  // its target URI (RFC 9111 section 4.4) without scanning the store. Kept in step by put and the
  // removal listener, so it never holds more keys than the store.
  private final ConcurrentHashMap<PathKey, Set<CacheKey>> byPath = new ConcurrentHashMap<>();

  private record PathKey(String host, String path) {
    static PathKey of(CacheKey key) {
      return new PathKey(key.host(), key.path());
    }
  }

  /**
   * @param maxBytes the bound of the sum of entry weights
   * @param clock the time source of freshness and expiry (inject a test clock for TTL tests)
   */
  public ResponseCache(long maxBytes, Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    this.maxBytes = maxBytes;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((CacheKey k, StoredValue v) -> k.weight() + v.weight())
        .expireAfter(new Expiry<CacheKey, StoredValue>() {
          @Override
          public long expireAfterCreate(CacheKey key, StoredValue value, long currentTime) {
            return untilRemoval(value, currentTime);
          }

          @Override
          public long expireAfterUpdate(CacheKey key, StoredValue value, long currentTime, long currentDuration) {
            return untilRemoval(value, currentTime);
          }

          @Override
          public long expireAfterRead(CacheKey key, StoredValue value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        // Maintenance (eviction, removal counters) runs on the writing thread: cheap, and the byte
        // bound holds when a put returns.
        .executor(Runnable::run)
        .removalListener((CacheKey k, StoredValue v, RemovalCause cause) -> removed(k, v, cause))
        .build();
  }

  private static long untilRemoval(StoredValue value, long currentTimeNanos) {
    long at = TimeUnit.MILLISECONDS.toNanos(value.removeAtMillis());
    return Math.max(0, at - currentTimeNanos);
  }

  Clock clock() {
    return clock;
  }

  /** The result of a lookup: a stored response, or a miss that says whether only the variant missed. */
  record Lookup(CachedResponse response, boolean varyMiss) {
    static final Lookup MISS = new Lookup(null, false);
    static final Lookup VARY_MISS = new Lookup(null, true);
  }

  /** Finds the response for a primary key and the request's headers (through a Vary marker). */
  Lookup lookup(CacheKey primary, MultiMap requestHeaders) {
    StoredValue value = cache.getIfPresent(primary);
    if (value instanceof CachedResponse response) {
      return new Lookup(response, false);
    }
    if (value instanceof VaryMarker marker) {
      StoredValue variant = cache.getIfPresent(primary.withVary(varyValues(marker.names(), requestHeaders)));
      return variant instanceof CachedResponse response ? new Lookup(response, false) : Lookup.VARY_MISS;
    }
    return Lookup.MISS;
  }

  /**
   * Stores a response under its primary key, or under a secondary key when it varies.
   *
   * @param vary the lower-case header names of the response's Vary, or null
   * @param requestHeaders the request's headers as they were at lookup
   */
  void store(CacheKey primary, List<String> vary, MultiMap requestHeaders, CachedResponse response) {
    if (vary == null) {
      put(primary, response);
      return;
    }
    StoredValue current = cache.getIfPresent(primary);
    long removeAt = response.removeAtMillis();
    if (current instanceof VaryMarker marker && marker.names().equals(vary)) {
      if (marker.removeAtMillis() < removeAt) {
        put(primary, new VaryMarker(vary, removeAt));
      }
    } else {
      // No marker or a different Vary: the old variants become unreachable and age out.
      put(primary, new VaryMarker(List.copyOf(vary), removeAt));
    }
    put(primary.withVary(varyValues(vary, requestHeaders)), response);
  }

  private void put(CacheKey key, StoredValue value) {
    counters(key.routeId()).added(key, value);
    cache.put(key, value);
    // Indexed after the put, under the bin's lock: a removal of an older value of this key that
    // runs concurrently either sees the new entry (and keeps the key) or runs before this add.
    byPath.compute(PathKey.of(key), (k, keys) -> {
      Set<CacheKey> set = keys != null ? keys : ConcurrentHashMap.newKeySet();
      set.add(key);
      return set;
    });
  }

  private void removed(CacheKey key, StoredValue value, RemovalCause cause) {
    if (key == null || value == null) {
      return;
    }
    counters(key.routeId()).removed(key, value);
    if (cause == RemovalCause.SIZE) {
      evictions.increment();
    }
    if (cause != RemovalCause.REPLACED) {
      byPath.computeIfPresent(PathKey.of(key), (k, keys) -> {
        if (!cache.asMap().containsKey(key)) {
          keys.remove(key);
        }
        return keys.isEmpty() ? null : keys;
      });
    }
  }

  /**
   * Removes every response stored for a target URI: all routes, methods, keyed queries, headers,
   * consumers and Vary variants of {@code host} and canonical {@code path}. Cheap enough for the
   * event loop: one index lookup, then one removal per stored variant.
   *
   * @return how many responses were removed
   */
  int invalidatePath(String host, String path) {
    Set<CacheKey> keys = byPath.get(new PathKey(host, path));
    if (keys == null) {
      return 0;
    }
    int removed = 0;
    for (CacheKey key : keys) {
      if (cache.asMap().remove(key) instanceof CachedResponse) {
        removed++;
      }
    }
    invalidations.add(removed);
    return removed;
  }

  /** Paths with at least one stored key (for tests of the index's bookkeeping). */
  int indexedPaths() {
    return byPath.size();
  }

  static String varyValues(List<String> names, MultiMap requestHeaders) {
    StringBuilder sb = new StringBuilder();
    for (String name : names) {
      sb.append(name).append('=');
      List<String> values = requestHeaders.getAll(name);
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(values.get(i).trim());
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Removes one entry (used when a refresh says the response may no longer be stored). */
  void invalidate(CacheKey primary) {
    cache.invalidate(primary);
  }

  // ---- coalescing ----

  /**
   * Joins the in-flight miss for {@code key}: returns null when the caller became the leader (it
   * must {@link #finish} the flight), otherwise the future the leader completes.
   */
  CompletableFuture<FlightResult> join(CacheKey key, CompletableFuture<FlightResult> mine) {
    return flights.putIfAbsent(key, mine);
  }

  /** Ends a flight the caller leads; waiters are told whether the response was stored. */
  void finish(CacheKey key, CompletableFuture<FlightResult> flight, FlightResult result) {
    flights.remove(key, flight);
    flight.complete(result);
  }

  void waiterAdded() {
    waiting.incrementAndGet();
  }

  void waiterDone() {
    waiting.decrementAndGet();
  }

  /** Requests currently waiting for a concurrent miss of the same key. */
  public int waitingRequests() {
    return waiting.get();
  }

  // ---- counters and admin ----

  RouteCounters counters(String routeId) {
    RouteCounters c = routes.get(routeId);
    return c != null ? c : routes.computeIfAbsent(routeId, id -> new RouteCounters());
  }

  /**
   * Changes the bound (a reload of {@code cache.max-size}); when smaller, entries are evicted down
   * to it by Caffeine's maintenance, not on the caller's thread.
   */
  public void resize(long maxBytes) {
    this.maxBytes = maxBytes;
    cache.policy().eviction().ifPresent(eviction -> eviction.setMaximum(maxBytes));
  }

  /** The current bound in bytes. */
  public long maxBytes() {
    return maxBytes;
  }

  /** A cache filter of {@code routeId} was created; it gives its reference back with {@link #releaseRoute}. */
  public void acquireRoute(String routeId) {
    routeUsers.merge(routeId, 1, Integer::sum);
  }

  /**
   * A cache filter of {@code routeId} was closed. When it was the last (the route was removed), the
   * route's entries and counters are dropped, on a pool thread (the purge walks the store).
   *
   * @return the purge, done at once when other filters of the route remain
   */
  public CompletableFuture<Long> releaseRoute(String routeId) {
    Integer left = routeUsers.computeIfPresent(routeId, (id, n) -> n > 1 ? n - 1 : null);
    if (left != null) {
      return CompletableFuture.completedFuture(0L);
    }
    return CompletableFuture.supplyAsync(() -> {
      if (routeUsers.containsKey(routeId)) {
        return 0L; // the route came back meanwhile
      }
      long purged = purgeRoute(routeId);
      routes.remove(routeId);
      return purged;
    });
  }

  /** Removes every entry; returns how many responses were removed. */
  public long purgeAll() {
    return purge(k -> true);
  }

  /** Removes the entries one route stored. */
  public long purgeRoute(String routeId) {
    return purge(k -> k.routeId().equals(routeId));
  }

  /** Removes the entries whose path starts with {@code prefix} (for one host when not null). */
  public long purgePrefix(String host, String prefix) {
    return purge(k -> (host == null || k.host().equals(host)) && k.path().startsWith(prefix));
  }

  /** Removes every variant (method, query, headers, consumer) of one path (for one host when not null). */
  public long purgePath(String host, String path) {
    return purge(k -> (host == null || k.host().equals(host)) && k.path().equals(path));
  }

  /** Iterates the whole store: call from a worker thread, never an event loop. */
  private long purge(Predicate<CacheKey> selected) {
    long removed = 0;
    for (Map.Entry<CacheKey, StoredValue> e : cache.asMap().entrySet()) {
      if (selected.test(e.getKey()) && cache.asMap().remove(e.getKey(), e.getValue())
          && e.getValue() instanceof CachedResponse) {
        removed++;
      }
    }
    cache.cleanUp();
    return removed;
  }

  /** Size and removals, for the metrics exporter (per-route results come from each request). */
  void collect(MetricSink sink) {
    sink.gauge("edgeway_cache_bytes", "Bytes held by the response cache (bodies, headers and keys)",
        cache.policy().eviction().map(ev -> ev.weightedSize().orElse(0)).orElse(0L));
    sink.gauge("edgeway_cache_entries", "Responses held by the response cache", cache.estimatedSize());
    sink.counter("edgeway_cache_evictions_total", "Entries evicted to stay within cache.max-size", evictions.sum());
    sink.counter("edgeway_cache_invalidations_total",
        "Entries removed because a successful unsafe request (POST, PUT, DELETE...) made them stale",
        invalidations.sum());
  }

  /** Totals and per-route counters for {@code GET /cache/stats}. */
  public JsonObject stats() {
    cache.cleanUp();
    JsonObject perRoute = new JsonObject();
    long entries = 0;
    long bytes = 0;
    for (Map.Entry<String, RouteCounters> e : new TreeMap<>(routes).entrySet()) {
      RouteCounters c = e.getValue();
      entries += c.entries.get();
      bytes += c.bytes.get();
      perRoute.put(e.getKey(), c.toJson());
    }
    return new JsonObject()
        .put("entries", entries)
        .put("bytes", bytes)
        .put("maxBytes", maxBytes)
        .put("weightedBytes", cache.policy().eviction().map(ev -> ev.weightedSize().orElse(0)).orElse(0L))
        .put("evictions", evictions.sum())
        .put("invalidations", invalidations.sum())
        .put("waiting", waiting.get())
        .put("routes", perRoute);
  }

  /** Counters of one route; entries and bytes follow every put and removal. */
  static final class RouteCounters {
    final LongAdder hits = new LongAdder();
    final LongAdder staleHits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder bypasses = new LongAdder();
    final LongAdder stores = new LongAdder();
    final AtomicLong entries = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();

    void added(CacheKey key, StoredValue value) {
      bytes.addAndGet(key.weight() + value.weight());
      if (value instanceof CachedResponse) {
        entries.incrementAndGet();
        stores.increment();
      }
    }

    void removed(CacheKey key, StoredValue value) {
      bytes.addAndGet(-(key.weight() + value.weight()));
      if (value instanceof CachedResponse) {
        entries.decrementAndGet();
      }
    }

    JsonObject toJson() {
      long h = hits.sum() + staleHits.sum();
      long m = misses.sum();
      return new JsonObject()
          .put("entries", entries.get())
          .put("bytes", bytes.get())
          .put("hits", hits.sum())
          .put("staleHits", staleHits.sum())
          .put("misses", m)
          .put("bypasses", bypasses.sum())
          .put("stores", stores.sum())
          .put("hitRatio", h + m == 0 ? 0.0 : (double) h / (h + m));
    }
  }
}
