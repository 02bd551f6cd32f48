package io.edgeway.spi;

/**
 * Where a filter runs in a route's chain. Filters are ordered by stage first, then by the order in
 * which the route lists them; there are no priority integers.
 *
 * <p>The upstream call is always the terminal step after the last stage.
 */
public enum Stage {
  /** First contact: CORS preflight, request-id, edge policies that need no identity. */
  EDGE,
  /** Authentication: establishes the consumer identity (jwt, api-key). */
  AUTHN,
  /** Admission control that may use the identity: rate limiting, quotas. */
  ADMISSION,
  /** Response cache: runs after authentication and admission, so a hit never skips them. */
  CACHE,
  /** Request and response transformation: header edits and most third-party filters. */
  TRANSFORM,
  /** Protection of the upstream call: circuit breaker, retry, concurrency limit. */
  RESILIENCE
}
