package io.edgeway.routing;

/** Read access to the request headers for route matching. */
@FunctionalInterface
public interface HeaderLookup {

  /** No headers at all. */
  HeaderLookup NONE = name -> null;

  /**
   * Returns the first value of header {@code name}, or null when absent. The table always passes
   * names in lower case; implementations must match names case-insensitively (Vert.x
   * {@code MultiMap::get} does).
   */
  String get(String name);
}
