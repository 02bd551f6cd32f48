package io.edgeway.routing;

import static java.util.Objects.requireNonNull;

/**
 * How a route changes the path before sending it upstream, as declared in the configuration.
 * {@link RouteTable.Builder#build()} validates it against the route's pattern and compiles it into
 * a {@link PathRewriter}.
 */
public sealed interface RewriteRule {

  /** Forward the canonical path unchanged. */
  RewriteRule KEEP = new Keep();

  /** Forward the canonical path unchanged. */
  record Keep() implements RewriteRule {}

  /**
   * Drop the first {@code segments} segments: {@code /api/users/42} with 1 becomes
   * {@code /users/42}; dropping every segment gives {@code /}; a trailing slash is kept.
   */
  record StripPrefix(int segments) implements RewriteRule {}

  /**
   * Build the path from a template such as {@code /v2/users/{id}} filled with the captured
   * variables; a final {@code /{**}} stands for what the pattern's trailing {@code **} matched.
   */
  record Template(String template) implements RewriteRule {
    public Template {
      requireNonNull(template, "template");
    }
  }
}
