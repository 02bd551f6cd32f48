package io.edgeway.routing;

/**
 * One invalid part of a route (a path pattern, host, header constraint or rewrite), found while
 * building a {@link RouteTable}. The builder turns it into a {@link RouteProblem}; code that parses
 * a single pattern directly sees it as an {@link IllegalArgumentException}.
 */
public final class InvalidRouteException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String value;
  private final String reason;

  InvalidRouteException(String value, String reason) {
    super(value + " (" + reason + ")");
    this.value = value;
    this.reason = reason;
  }

  /** The offending text as written in the configuration. */
  public String value() {
    return value;
  }

  /** Why it is invalid and what was expected, e.g. {@code expected: a path starting with '/'}. */
  public String reason() {
    return reason;
  }
}
