package io.edgeway.http;

import static java.util.Objects.requireNonNull;

/**
 * Why the HTTP edge refuses a request: the status to send, a stable machine code for the problem
 * body and the access log, and a short human title. A refused request always closes its
 * connection after the answer, and nothing pipelined behind it is dispatched: once the edge
 * distrusts a client's bytes, it trusts none that follow (HAProxy's model).
 *
 * <p>Instances are preallocated constants (see {@link RequestFramingCheck} and
 * {@link PathCanonicalizer}), so refusing a request allocates nothing.
 *
 * @param status HTTP status, 400..599
 * @param code stable snake_case reason code, e.g. {@code encoded_slash}
 * @param title short human-readable title, never containing request data
 */
public record EdgeRejection(int status, String code, String title) {
  public EdgeRejection {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 400..599)");
    }
    requireNonNull(code, "code");
    requireNonNull(title, "title");
  }
}
