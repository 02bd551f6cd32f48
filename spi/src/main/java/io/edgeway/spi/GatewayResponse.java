package io.edgeway.spi;

import static java.util.Objects.requireNonNull;

import io.vertx.core.MultiMap;

/**
 * A response on its way back to the client: the upstream's (with hop-by-hop headers already
 * removed) or one a filter produced. Mutable, so response filters can edit headers in place.
 */
public final class GatewayResponse {
  private int status;
  private final MultiMap headers;
  private Body body;

  private GatewayResponse(int status, MultiMap headers, Body body) {
    this.status = checkStatus(status);
    this.headers = requireNonNull(headers, "headers");
    this.body = requireNonNull(body, "body");
  }

  /**
   * A response with the given parts.
   *
   * @param status the HTTP status, 100..599
   * @param headers the response headers (kept, not copied)
   * @param body the body
   */
  public static GatewayResponse of(int status, MultiMap headers, Body body) {
    return new GatewayResponse(status, headers, body);
  }

  /** A response with no headers and no body. */
  public static GatewayResponse of(int status) {
    return new GatewayResponse(status, MultiMap.caseInsensitiveMultiMap(), Body.empty());
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** Replaces the status. */
  public GatewayResponse status(int status) {
    this.status = checkStatus(status);
    return this;
  }

  /** The headers (mutable). */
  public MultiMap headers() {
    return headers;
  }

  /** The body. */
  public Body body() {
    return body;
  }

  /**
   * Replaces the body; the caller is responsible for the old one (see {@link Body#discard()}).
   * The framing sent to the client follows the body, whatever the headers say: a stale
   * {@code Content-Length} is replaced by the new body's length, or dropped when it is unknown
   * (chunked). A streamed body that ends shorter or longer than declared resets the client
   * connection instead of ending the response.
   */
  public GatewayResponse body(Body body) {
    this.body = requireNonNull(body, "body");
    return this;
  }

  private static int checkStatus(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 100..599)");
    }
    return status;
  }
}
