package io.edgeway.spi;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * An in-memory cache the gateway keeps for plugins: bounded in bytes (the top-level
 * {@code cache.plugin-max-size}, 16MiB by default, shared by all filters), each entry with its own
 * time to live, evicted least-recently-used first when full. Get it from
 * {@link FilterContext#service(Class)} in {@link GatewayFilterFactory#create}; it is always offered.
 *
 * <p>Namespaced by the filter's name: a key written by one filter is invisible to every other
 * filter, while all routes using the same filter share its entries (put the route id into the key
 * to keep routes apart). Entries live in this process only, and survive reloads as long as some
 * route still uses the filter.
 *
 * <p>Values are bytes ({@link Buffer}), not objects: a plugin jar replaced at a reload must not
 * meet instances of its old classes, and bytes are what the bound counts. Encode what you store
 * (JSON with {@code Buffer}/{@code JsonObject} is fine).
 *
 * <p>Lookups and writes are in memory and lock-free: fine on the event loop, from any thread.
 *
 * <p>During validation ({@code --check}, and the same step at start-up) filters get a separate,
 * empty cache of the same bound that is dropped afterwards.
 */
public interface SharedCache {

  /**
   * The value stored under {@code key}, or null when there is none or it expired. The buffer is a
   * copy: changing it changes nothing in the cache.
   *
   * @param key the entry's key within this filter's namespace
   */
  Buffer get(String key);

  /**
   * Stores a copy of {@code value} under {@code key} for {@code ttl}, replacing what was there.
   * A value larger than the whole bound is not stored (and a present one under that key is
   * removed).
   *
   * @param key the entry's key within this filter's namespace
   * @param value the bytes to keep
   * @param ttl how long the entry lives, at least 1 ms
   * @throws IllegalArgumentException when an argument is null or the ttl is below 1 ms
   */
  void put(String key, Buffer value, Duration ttl);

  /**
   * Removes the entry under {@code key}, if any.
   *
   * @param key the entry's key within this filter's namespace
   */
  void invalidate(String key);
}
