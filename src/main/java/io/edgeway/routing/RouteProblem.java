package io.edgeway.routing;

import static java.util.Objects.requireNonNull;

/**
 * One reason a route table could not be built, precise enough for the configuration layer to
 * print {@code file:line:col: routes[3].match.path: /a/{b ('{' without '}'; expected: ...)}.
 *
 * @param index position of the route in the order it was added (0-based)
 * @param routeId the route's id
 * @param field the offending key relative to the route: {@code match.path}, {@code match.host},
 *     {@code match.headers}, {@code match.methods}, {@code match} (a conflict between routes) or
 *     {@code rewrite}
 * @param value the offending value as configured
 * @param message why it is wrong and what was expected
 */
public record RouteProblem(int index, String routeId, String field, String value, String message) {
  public RouteProblem {
    requireNonNull(routeId, "routeId");
    requireNonNull(field, "field");
    requireNonNull(value, "value");
    requireNonNull(message, "message");
  }

  /** {@code routes[3].match.path: /a/{b ('{' without '}'; expected: ...)}. */
  public String describe() {
    return "routes[" + index + "]." + field + ": " + value + " (" + message + ")";
  }
}
