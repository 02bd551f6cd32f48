package io.edgeway.cache;

/**
 * How long a stored response may be used, computed once when it is stored (RFC 9111 section 4.2).
 *
 * @param lifetimeMillis freshness lifetime (0: stale at once, reuse needs revalidation)
 * @param initialAgeMillis corrected initial age when it was received
 * @param staleWhileRevalidateMillis how long past the lifetime it may be served while refreshing
 * @param staleIfErrorMillis how long past the lifetime it may be served instead of an error
 * @param retainMillis how long past the lifetime the store keeps it (stale windows, revalidation)
 */
record Freshness(
    long lifetimeMillis, long initialAgeMillis, long staleWhileRevalidateMillis, long staleIfErrorMillis,
    long retainMillis) {}
