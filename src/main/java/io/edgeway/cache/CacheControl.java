package io.edgeway.cache;

import java.util.List;
import java.util.Locale;

/**
 * The response {@code Cache-Control} directives a shared cache acts on (RFC 9111 section 5.2.2,
 * RFC 5861). Several header lines and comma-separated lists are merged; unknown directives are
 * ignored; a malformed delta-seconds value makes the response stale (treated as 0), as RFC 9111
 * asks for invalid freshness information.
 *
 * @param maxAge {@code max-age} in seconds, or -1
 * @param sMaxAge {@code s-maxage} in seconds, or -1
 * @param staleWhileRevalidate {@code stale-while-revalidate} in seconds, or -1
 * @param staleIfError {@code stale-if-error} in seconds, or -1
 */
record CacheControl(
    boolean noStore, boolean noCache, boolean isPrivate, boolean isPublic, boolean mustRevalidate,
    long maxAge, long sMaxAge, long staleWhileRevalidate, long staleIfError) {

  static final CacheControl NONE = new CacheControl(false, false, false, false, false, -1, -1, -1, -1);

  static CacheControl parse(List<String> headerValues) {
    if (headerValues == null || headerValues.isEmpty()) {
      return NONE;
    }
    boolean noStore = false;
    boolean noCache = false;
    boolean isPrivate = false;
    boolean isPublic = false;
    boolean mustRevalidate = false;
    long maxAge = -1;
    long sMaxAge = -1;
    long swr = -1;
    long sie = -1;
    for (String line : headerValues) {
      for (String part : splitDirectives(line)) {
        String directive = part.trim();
        if (directive.isEmpty()) {
          continue;
        }
        int eq = directive.indexOf('=');
        String name = (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String arg = eq < 0 ? null : unquote(directive.substring(eq + 1).trim());
        switch (name) {
          case "no-store" -> noStore = true;
          // "no-cache" and "private" with field names still forbid reuse without revalidation / storing
          case "no-cache" -> noCache = true;
          case "private" -> isPrivate = true;
          case "public" -> isPublic = true;
          case "must-revalidate", "proxy-revalidate" -> mustRevalidate = true;
          case "max-age" -> maxAge = minPositive(maxAge, seconds(arg));
          case "s-maxage" -> sMaxAge = minPositive(sMaxAge, seconds(arg));
          case "stale-while-revalidate" -> swr = seconds(arg);
          case "stale-if-error" -> sie = seconds(arg);
          default -> { }
        }
      }
    }
    return new CacheControl(noStore, noCache, isPrivate, isPublic, mustRevalidate, maxAge, sMaxAge, swr, sie);
  }

  /** Splits on commas outside quoted strings ({@code private="a, b"}). */
  private static List<String> splitDirectives(String line) {
    if (line.indexOf('"') < 0) {
      return List.of(line.split(","));
    }
    java.util.ArrayList<String> parts = new java.util.ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        parts.add(line.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(line.substring(start));
    return parts;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"' ? s.substring(1, s.length() - 1) : s;
  }

  /** Delta-seconds; invalid means 0 (stale), overflow saturates. */
  private static long seconds(String arg) {
    if (arg == null || arg.isEmpty()) {
      return 0;
    }
    for (int i = 0; i < arg.length(); i++) {
      if (arg.charAt(i) < '0' || arg.charAt(i) > '9') {
        return 0;
      }
    }
    if (arg.length() > 10) {
      return Integer.MAX_VALUE; // RFC 9111 1.2.2: at least 2^31 on overflow
    }
    return Math.min(Long.parseLong(arg), Integer.MAX_VALUE);
  }

  /** A directive given twice is conflicting; the smaller (more conservative) value wins. */
  private static long minPositive(long previous, long value) {
    return previous < 0 ? value : Math.min(previous, value);
  }
}
