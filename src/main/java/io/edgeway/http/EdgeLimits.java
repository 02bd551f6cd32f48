package io.edgeway.http;

/**
 * Limits the HTTP edge enforces on its own; Vert.x/Netty enforce the byte-size limits (request
 * line, header block) through {@code HttpServerOptions}, but have no header-count limit.
 *
 * @param maxHeaderCount most header lines accepted in one request (security.md A26); more gives
 *     431
 */
public record EdgeLimits(int maxHeaderCount) {
  /** Envoy's and HAProxy's default: 100 header lines. */
  public static final EdgeLimits DEFAULTS = new EdgeLimits(100);

  public EdgeLimits {
    if (maxHeaderCount < 1 || maxHeaderCount > 10_000) {
      throw new IllegalArgumentException(
          "maxHeaderCount: " + maxHeaderCount + " (expected: 1..10000)");
    }
  }
}
