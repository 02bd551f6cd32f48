package io.edgeway.routing;

import java.util.Locale;

/**
 * A route's host constraint: any host, one exact host, or a wildcard {@code *.example.com} that
 * matches {@code a.example.com} and {@code a.b.example.com} but not {@code example.com}.
 * Matching is against the bare lower-case host (no port), so the configured text is lower-cased.
 *
 * @param kind the kind of constraint
 * @param value the lower-case host for {@link Kind#EXACT}, the suffix with its leading dot
 *     ({@code .example.com}) for {@link Kind#WILDCARD}, null for {@link Kind#ANY}
 */
record HostPattern(Kind kind, String value) {

  enum Kind { EXACT, WILDCARD, ANY }

  static final HostPattern ANY = new HostPattern(Kind.ANY, null);

  private static final String EXPECTED =
      "expected: a host name such as api.example.com or *.example.com, without port";

  static HostPattern parse(String text) {
    if (text == null) {
      return ANY;
    }
    String host = text.toLowerCase(Locale.ROOT);
    if (host.startsWith("*.")) {
      checkDnsName(text, host.substring(2));
      return new HostPattern(Kind.WILDCARD, host.substring(1));
    }
    if (host.indexOf('*') >= 0) {
      throw new InvalidRouteException(text, "'*' must be the whole first label; " + EXPECTED);
    }
    if (host.startsWith("[")) {
      checkIpv6Literal(text, host);
    } else {
      checkDnsName(text, host);
    }
    return new HostPattern(Kind.EXACT, host);
  }

  private static void checkDnsName(String text, String name) {
    if (name.isEmpty()) {
      throw new InvalidRouteException(text, EXPECTED);
    }
    if (name.indexOf(':') >= 0) {
      throw new InvalidRouteException(text, "a port; " + EXPECTED + " (the port is ignored when matching)");
    }
    int labelStart = 0;
    for (int i = 0; i <= name.length(); i++) {
      char c = i == name.length() ? '.' : name.charAt(i);
      if (c == '.') {
        if (i == labelStart) {
          throw new InvalidRouteException(text, "empty label; " + EXPECTED);
        }
        labelStart = i + 1;
      } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        throw new InvalidRouteException(text, "character '" + c + "'; " + EXPECTED);
      }
    }
  }

  private static void checkIpv6Literal(String text, String host) {
    boolean ok = host.length() > 2 && host.endsWith("]");
    for (int i = 1; ok && i < host.length() - 1; i++) {
      char c = host.charAt(i);
      ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
    if (!ok) {
      throw new InvalidRouteException(text, "expected: an IPv6 literal such as [::1], without port");
    }
  }

  /** 0 for exact, 1 for wildcard, 2 for any: lower is more specific. */
  int rank() {
    return kind.ordinal();
  }

  /** Whether {@code host} (bare, lower-case, may be null) satisfies this constraint. */
  boolean matches(String host) {
    return switch (kind) {
      case ANY -> true;
      case EXACT -> value.equals(host);
      case WILDCARD -> host != null && host.length() > value.length() && host.endsWith(value)
          && host.charAt(host.length() - value.length() - 1) != '.';
    };
  }

  /** The host as shown to operators: null for any host. */
  String display() {
    return kind == Kind.WILDCARD ? "*" + value : value;
  }
}
