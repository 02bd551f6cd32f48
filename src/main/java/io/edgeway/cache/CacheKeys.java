package io.edgeway.cache;

import io.edgeway.spi.GatewayRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds primary keys: route, host, canonical path, method, the keyed query parameters (sorted, so
 * {@code ?b=2&a=1} and {@code ?a=1&b=2} are one entry), the configured request headers and the
 * consumer. Parameter names are compared as sent (not percent-decoded).
 */
final class CacheKeys {
  private final CacheKeyConfig.QueryKeying query;
  private final Set<String> params;
  private final List<String> headers;

  CacheKeys(CacheKeyConfig config) {
    this.query = config.query();
    this.params = Set.copyOf(config.queryParams());
    this.headers = config.headers();
  }

  CacheKey primary(String routeId, GatewayRequest request, String consumer) {
    StringBuilder variant = new StringBuilder(64).append(request.method().name()).append('\n');
    appendQuery(variant, request.query());
    variant.append('\n');
    for (String name : headers) {
      variant.append(name).append('=');
      List<String> values = request.headers().getAll(name);
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          variant.append(',');
        }
        variant.append(values.get(i).trim());
      }
      variant.append('\n');
    }
    if (consumer != null) {
      variant.append("consumer=").append(consumer);
    }
    return new CacheKey(routeId, request.host() == null ? "" : request.host(), request.path(), variant.toString());
  }

  void appendQuery(StringBuilder out, String raw) {
    if (raw == null || raw.isEmpty() || query == CacheKeyConfig.QueryKeying.IGNORE) {
      return;
    }
    List<String> pairs = new ArrayList<>();
    int start = 0;
    while (start <= raw.length()) {
      int amp = raw.indexOf('&', start);
      int end = amp < 0 ? raw.length() : amp;
      if (end > start) {
        String pair = raw.substring(start, end);
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        boolean listed = params.contains(name);
        boolean keep = switch (query) {
          case INCLUDE_ALL -> true;
          case INCLUDE -> listed;
          case EXCLUDE -> !listed;
          case IGNORE -> false;
        };
        if (keep) {
          pairs.add(pair);
        }
      }
      start = end + 1;
    }
    pairs.sort(null);
    for (int i = 0; i < pairs.size(); i++) {
      if (i > 0) {
        out.append('&');
      }
      out.append(pairs.get(i));
    }
  }
}
