package io.edgeway.http;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of {@link PathCanonicalizer#canonicalize(String)}: either the one canonical path
 * that routing, authorization, rate-limit keys, cache keys and the upstream request all use, or
 * the rejection to send instead.
 *
 * @param path the canonical path, or null when rejected
 * @param rejection why the path was refused, or null when valid
 */
public record CanonicalPath(String path, EdgeRejection rejection) {
  public CanonicalPath {
    if ((path == null) == (rejection == null)) {
      throw new IllegalArgumentException(
          "path: " + path + ", rejection: " + rejection + " (expected: exactly one of them)");
    }
  }

  static CanonicalPath of(String path) {
    return new CanonicalPath(requireNonNull(path, "path"), null);
  }

  static CanonicalPath rejected(EdgeRejection rejection) {
    return new CanonicalPath(null, requireNonNull(rejection, "rejection"));
  }

  /** True when the path was accepted and {@link #path()} holds its canonical form. */
  public boolean isValid() {
    return path != null;
  }
}
