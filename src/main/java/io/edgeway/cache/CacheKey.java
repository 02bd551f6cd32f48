package io.edgeway.cache;

/**
 * The identity of a stored response. {@code routeId}, {@code host} and {@code path} are kept apart
 * so purges can select by route, host and path prefix; {@code variant} holds everything else
 * (method, keyed query and headers, consumer, and the {@code Vary} values of a secondary key).
 *
 * @param routeId the route whose filter stored the entry
 * @param host the request host, lower-case, without port
 * @param path the canonical request path
 * @param variant method and the other key parts, already normalized
 */
record CacheKey(String routeId, String host, String path, String variant) {

  /** Approximate heap bytes of the key, for the store's weigher. */
  int weight() {
    return 64 + 2 * (routeId.length() + host.length() + path.length() + variant.length());
  }

  /** The secondary key of a response that varies on request headers. */
  CacheKey withVary(String varyValues) {
    return new CacheKey(routeId, host, path, variant + "\u0001" + varyValues);
  }
}
