package io.edgeway.routing;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Set;

/**
 * One route as declared, before validation; {@link RouteTable.Builder#build()} checks it.
 *
 * @param id the route id (uniqueness is checked by the configuration layer)
 * @param path the path pattern, see {@link PathPattern}
 * @param methods the methods the route accepts, case-sensitive; empty means any method
 * @param host the host constraint ({@code api.example.com}, {@code *.example.com}); null means any
 * @param headers headers the request must carry with exactly these values; names are
 *     case-insensitive
 * @param rewrite how the path is rewritten before going upstream
 * @param payload what the caller attaches to the route (upstream, filters, ...)
 */
public record RouteSpec<R>(
    String id,
    String path,
    Set<String> methods,
    String host,
    Map<String, String> headers,
    RewriteRule rewrite,
    R payload) {

  public RouteSpec {
    requireNonNull(id, "id");
    requireNonNull(path, "path");
    requireNonNull(payload, "payload");
    methods = methods == null ? Set.of() : Set.copyOf(methods);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    rewrite = rewrite == null ? RewriteRule.KEEP : rewrite;
  }

  /** A route that forwards the path unchanged. */
  public RouteSpec(
      String id, String path, Set<String> methods, String host, Map<String, String> headers, R payload) {
    this(id, path, methods, host, headers, RewriteRule.KEEP, payload);
  }

  /** A route for any method, host and headers that forwards the path unchanged. */
  public static <R> RouteSpec<R> of(String id, String path, R payload) {
    return new RouteSpec<>(id, path, Set.of(), null, Map.of(), RewriteRule.KEEP, payload);
  }
}
