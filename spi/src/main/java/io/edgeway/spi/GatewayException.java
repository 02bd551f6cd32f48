package io.edgeway.spi;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure with a client-facing status and a stable machine code, rendered by the gateway as an
 * {@code application/problem+json} body. It carries no stack trace (it is a control-flow signal,
 * cheap to create and safe to preallocate).
 *
 * <p>Stable codes used by the core: {@code no_route} (404), {@code method_not_allowed} (405),
 * {@code upstream_unreachable} (502), {@code upstream_timeout} (504), {@code upstream_busy} (503),
 * {@code payload_too_large} (413), {@code bad_request} (400).
 */
public class GatewayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final Map<String, String> headers;

  /**
   * @param status the HTTP status to answer with (4xx or 5xx)
   * @param code a stable, lower_snake_case machine code, e.g. {@code rate_limited}
   * @param title a short human-readable summary; never include secrets or token contents
   */
  public GatewayException(int status, String code, String title) {
    this(status, code, title, Map.of());
  }

  /**
   * @param status the HTTP status to answer with (4xx or 5xx)
   * @param code a stable, lower_snake_case machine code
   * @param title a short human-readable summary
   * @param headers extra response headers, e.g. {@code Retry-After}
   */
  public GatewayException(int status, String code, String title, Map<String, String> headers) {
    super(requireNonNull(title, "title"), null, false, false);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 400..599)");
    }
    this.status = status;
    this.code = requireNonNull(code, "code");
    this.headers = Map.copyOf(new LinkedHashMap<>(requireNonNull(headers, "headers")));
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The stable machine code. */
  public String code() {
    return code;
  }

  /** The short human-readable summary. */
  public String title() {
    return getMessage();
  }

  /** Extra response headers. */
  public Map<String, String> headers() {
    return headers;
  }
}
