package io.edgeway.ratelimit;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Configuration of the {@code rate-limit} filter.
 *
 * @param key what a bucket is per: {@code ip}, {@code consumer} (the authenticated identity, else
 *     the client IP), {@code header:<Name>}, {@code route}, or a list of these (composite); default ip
 * @param limits the limits; a request must be allowed by all of them; required
 * @param scope {@code node} (default: buckets in this process) or {@code cluster} (buckets in the
 *     {@code rate-limit-store}, shared by all gateway instances)
 * @param onStoreFailure with {@code scope: cluster}, what happens while the store is unavailable:
 *     {@code allow} (default: fall back to per-node buckets with the same limits) or {@code deny}
 *     (503 {@code rate_limit_unavailable})
 * @param group routes with the same group share buckets; default: the route id
 * @param cost tokens one request takes; default 1, at most the smallest capacity
 * @param legacyHeaders also send {@code X-RateLimit-Limit/-Remaining/-Reset}; default true
 * @param missingKey a request whose key cannot be resolved (a {@code header:} part is missing):
 *     {@code deny} (default: 403 {@code rate_limit_key_missing}) or {@code shared} (one shared
 *     bucket for all such requests)
 * @param maxBuckets bound on per-node buckets of this route or group; default 100000
 */
public record RateLimitConfig(
    List<String> key, List<LimitConfig> limits, Scope scope, StoreFailureMode onStoreFailure, String group,
    Integer cost, Boolean legacyHeaders, MissingKeyMode missingKey, Integer maxBuckets) {

  /** Where buckets live. */
  public enum Scope {
    NODE,
    CLUSTER
  }

  /** What to do while the shared store fails. */
  public enum StoreFailureMode {
    ALLOW,
    DENY
  }

  /** What to do with a request that has no key. */
  public enum MissingKeyMode {
    DENY,
    SHARED
  }

  public RateLimitConfig {
    key = key == null || key.isEmpty() ? List.of("ip") : List.copyOf(key);
    Set<String> seen = new HashSet<>();
    for (String part : key) {
      KeyResolver.checkPart(part);
      if (!seen.add(part.toLowerCase(java.util.Locale.ROOT))) {
        throw new IllegalArgumentException("key: " + part + " (expected: each key part once)");
      }
    }
    if (limits == null || limits.isEmpty()) {
      throw new IllegalArgumentException("limits: [] (expected: at least one { capacity: N, period: D })");
    }
    limits = List.copyOf(limits);
    Set<String> names = new HashSet<>();
    for (LimitConfig limit : limits) {
      if (limit.name() != null && !names.add(limit.name())) {
        throw new IllegalArgumentException("limits: name " + limit.name() + " twice (expected: unique names)");
      }
    }
    scope = scope == null ? Scope.NODE : scope;
    onStoreFailure = onStoreFailure == null ? StoreFailureMode.ALLOW : onStoreFailure;
    if (group != null && !group.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new IllegalArgumentException("group: " + group + " (expected: 1-128 characters of A-Z a-z 0-9 . _ -)");
    }
    cost = cost == null ? 1 : cost;
    long smallest = limits.stream().mapToLong(LimitConfig::capacity).min().orElseThrow();
    if (cost < 1 || cost > smallest) {
      throw new IllegalArgumentException("cost: " + cost + " (expected: 1.." + smallest + ", the smallest capacity)");
    }
    legacyHeaders = legacyHeaders == null || legacyHeaders;
    missingKey = missingKey == null ? MissingKeyMode.DENY : missingKey;
    maxBuckets = maxBuckets == null ? 100_000 : maxBuckets;
    if (maxBuckets < 1 || maxBuckets > 100_000_000) {
      throw new IllegalArgumentException("max-buckets: " + maxBuckets + " (expected: 1..100000000)");
    }
  }
}
