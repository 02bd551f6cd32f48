package io.edgeway.routing;

import static java.util.Objects.requireNonNull;

import java.util.SortedSet;

/** The outcome of {@link RouteTable#match}. */
public sealed interface RouteMatch<R> {

  /**
   * A route matched.
   *
   * @param route the winning route
   * @param params what its pattern captured from the path
   */
  record Found<R>(RouteEntry<R> route, PathParams params) implements RouteMatch<R> {
    public Found {
      requireNonNull(route, "route");
      requireNonNull(params, "params");
    }

    /** The path to send upstream: the route's rewriter applied to {@code canonicalPath}. */
    public String upstreamPath(String canonicalPath) {
      return route.rewriter().rewrite(canonicalPath, params);
    }
  }

  /** No route matches the path, host and headers: 404. */
  record NotFound<R>() implements RouteMatch<R> {}

  /**
   * Routes match the path, host and headers but none accepts the method: 405.
   *
   * @param allowed the union of their methods, sorted, for the {@code Allow} header
   */
  record MethodNotAllowed<R>(SortedSet<String> allowed) implements RouteMatch<R> {
    public MethodNotAllowed {
      requireNonNull(allowed, "allowed");
    }

    /** The {@code Allow} header value, e.g. {@code GET, POST}. */
    public String allowHeader() {
      return String.join(", ", allowed);
    }
  }
}
