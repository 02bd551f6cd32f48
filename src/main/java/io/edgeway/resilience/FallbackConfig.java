package io.edgeway.resilience;

import io.edgeway.config.UpstreamUrl;

/**
 * What an open circuit breaker answers instead of calling the upstream. One of:
 * <ul>
 *   <li>a static response: {@code { status: 503, body: '{"message":"..."}', content-type: application/json }};
 *   <li>an alternate upstream: {@code { upstream: http://127.0.0.1:9009 }}, sent the same request;
 *   <li>{@code stale-cache}: fail with {@code circuit_open} so the route's {@code cache} filter
 *       (an earlier stage) serves its stale entry, or the client gets the 503 problem.
 * </ul>
 *
 * @param status status of the static response; default 503
 * @param body body of the static response; default empty
 * @param contentType content type of the static body; default {@code application/json}
 * @param upstream the alternate upstream
 * @param staleCache serve a stale cache entry
 */
public record FallbackConfig(Integer status, String body, String contentType, UpstreamUrl upstream, Boolean staleCache) {

  public FallbackConfig {
    boolean isStatic = status != null || body != null || contentType != null;
    boolean isStale = Boolean.TRUE.equals(staleCache);
    int kinds = (isStatic ? 1 : 0) + (upstream != null ? 1 : 0) + (isStale ? 1 : 0);
    if (kinds != 1) {
      throw new IllegalArgumentException("fallback: (expected: exactly one of a static response {status, body}, "
          + "{upstream: URL} or stale-cache)");
    }
    if (isStatic) {
      status = status == null ? 503 : Checks.range("status", status, 200, 599);
      body = body == null ? "" : body;
      contentType = contentType == null ? "application/json" : contentType;
      for (int i = 0; i < contentType.length(); i++) {
        char c = contentType.charAt(i);
        if (c < 0x20 || c == 0x7f) {
          throw new IllegalArgumentException("content-type: (expected: a media type without control characters)");
        }
      }
    }
    staleCache = isStale;
  }

  /** The scalar form: {@code fallback: stale-cache}. */
  public static FallbackConfig of(String text) {
    if (!"stale-cache".equals(text)) {
      throw new IllegalArgumentException(text + " (expected: stale-cache, or a map with status/body or upstream)");
    }
    return new FallbackConfig(null, null, null, null, true);
  }

  boolean isStatic() {
    return status != null;
  }
}
