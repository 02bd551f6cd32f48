package io.edgeway.routing;

import static java.util.Objects.requireNonNull;

import java.util.SortedMap;
import java.util.SortedSet;

/**
 * A validated route in a {@link RouteTable}.
 *
 * @param id the route id
 * @param index position of the route in the order it was added
 * @param path the parsed path pattern
 * @param methods accepted methods, sorted; empty means any
 * @param host the host constraint, lower-case ({@code *.example.com} for a wildcard); null means
 *     any
 * @param headers required header values by lower-case name, sorted by name
 * @param rewriter turns the matched path into the upstream path
 * @param payload what the caller attached to the route
 */
public record RouteEntry<R>(
    String id,
    int index,
    PathPattern path,
    SortedSet<String> methods,
    String host,
    SortedMap<String, String> headers,
    PathRewriter rewriter,
    R payload) {

  public RouteEntry {
    requireNonNull(id, "id");
    requireNonNull(path, "path");
    requireNonNull(methods, "methods");
    requireNonNull(headers, "headers");
    requireNonNull(rewriter, "rewriter");
    requireNonNull(payload, "payload");
  }
}
