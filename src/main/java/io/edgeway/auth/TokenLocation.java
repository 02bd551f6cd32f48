package io.edgeway.auth;

/**
 * Where the {@code jwt} filter reads the token; at most one key may be set. Empty (the default):
 * the {@code Authorization} header with the {@code Bearer} scheme (case-insensitive).
 *
 * @param header a request header carrying the bare token, e.g. {@code X-Token}
 * @param cookie a cookie name
 * @param query a query parameter name, e.g. {@code access_token}
 */
public record TokenLocation(String header, String cookie, String query) {

  public TokenLocation {
    int set = (header != null ? 1 : 0) + (cookie != null ? 1 : 0) + (query != null ? 1 : 0);
    if (set > 1) {
      throw new IllegalArgumentException("from: " + set + " locations (expected: at most one of header, cookie, query)");
    }
    check("header", header);
    check("cookie", cookie);
    check("query", query);
    if (header != null && header.equalsIgnoreCase("Authorization")) {
      // Authorization is the default and is read with its Bearer scheme.
      header = null;
    }
  }

  private static void check(String key, String value) {
    if (value != null && (value.isEmpty() || !value.chars().allMatch(TokenLocation::isTokenChar))) {
      throw new IllegalArgumentException(key + ": " + value + " (expected: a name made of letters, digits and -_.)");
    }
  }

  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  }

  /** The default: {@code Authorization: Bearer}. */
  public static TokenLocation bearer() {
    return new TokenLocation(null, null, null);
  }

  boolean isBearer() {
    return header == null && cookie == null && query == null;
  }
}
