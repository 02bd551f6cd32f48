package io.edgeway.cache;

import java.util.List;
import java.util.Locale;

/**
 * What goes into a cache key besides the route, the host, the method and the canonical path.
 *
 * @param query how query parameters are keyed; default {@code include-all} (sorted)
 * @param queryParams the parameter names for {@code include} / {@code exclude}
 * @param headers request headers whose values are part of the key (e.g. {@code Accept-Language})
 */
public record CacheKeyConfig(QueryKeying query, List<String> queryParams, List<String> headers) {

  /** How the query string takes part in the key. */
  public enum QueryKeying {
    /** Every parameter, sorted by name (then value). */
    INCLUDE_ALL,
    /** Only the listed parameters, sorted. */
    INCLUDE,
    /** Every parameter but the listed ones, sorted. */
    EXCLUDE,
    /** No parameter: the query string is ignored. */
    IGNORE
  }

  public CacheKeyConfig {
    query = query == null ? QueryKeying.INCLUDE_ALL : query;
    queryParams = queryParams == null ? List.of() : List.copyOf(queryParams);
    boolean needsList = query == QueryKeying.INCLUDE || query == QueryKeying.EXCLUDE;
    if (needsList && queryParams.isEmpty()) {
      throw new IllegalArgumentException("query-params: [] (expected: the parameter names to "
          + query.name().toLowerCase(Locale.ROOT) + ")");
    }
    if (!needsList && !queryParams.isEmpty()) {
      throw new IllegalArgumentException("query-params: " + queryParams
          + " (expected: none unless query is include or exclude)");
    }
    headers = headers == null ? List.of() : headers.stream().map(h -> h.toLowerCase(Locale.ROOT)).distinct().sorted()
        .toList();
    for (String h : headers) {
      if (!h.matches("[a-z0-9!#$%&'*+.^_`|~-]+")) {
        throw new IllegalArgumentException("headers: " + h + " (expected: a header name)");
      }
    }
  }
}
