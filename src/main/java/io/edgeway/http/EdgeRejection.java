package io.edgeway.http;

import static java.util.Objects.requireNonNull;

/**
 * Why the HTTP edge refuses a request, decided before any routing: the status to send, a stable
 * machine code for the problem body and the access log, a short human title, and whether the
 * connection must be closed after the response.
 *
 * <p>Instances are preallocated constants (see {@link RequestFramingCheck} and
 * {@link PathCanonicalizer}), so refusing a request allocates nothing.
 *
 * @param status HTTP status, 400..599
 * @param code stable snake_case reason code, e.g. {@code encoded_slash}
 * @param title short human-readable title, never containing request data
 * @param closeConnection true when the byte stream can no longer be trusted (framing doubt), so
 *     the connection must not be reused
 */
public record EdgeRejection(int status, String code, String title, boolean closeConnection) {
  public EdgeRejection {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 400..599)");
    }
    requireNonNull(code, "code");
    requireNonNull(title, "title");
  }
}
