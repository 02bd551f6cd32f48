package io.edgeway.http;

/**
 * Request ids: the gateway keeps a client-supplied {@code X-Request-Id} only when it is
 * well-formed, and generates one otherwise.
 *
 * <p>Well-formed means 1 to {@value #MAX_LENGTH} characters of {@code [A-Za-z0-9._:-]}. That
 * covers UUIDs, hex, ULIDs and most tracing ids, and excludes everything that could break a log
 * line, a JSON body or a header ({@code "}, {@code \}, spaces, controls, {@code ;}, {@code ,},
 * {@code =}), so an id can be echoed without escaping.
 */
public final class RequestIds {
  public static final int MAX_LENGTH = 128;

  private RequestIds() {}

  /** True when {@code id} may be kept and echoed as given; null is not well-formed. */
  public static boolean isWellFormed(String id) {
    if (id == null) {
      return false;
    }
    int n = id.length();
    if (n == 0 || n > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * A new id: 32 lower-case hex digits (128 random bits from ThreadLocalRandom, so unique in
   * practice and never blocking; not a secret).
   */
  public static String generate() {
    return LowerHex.random128();
  }
}
