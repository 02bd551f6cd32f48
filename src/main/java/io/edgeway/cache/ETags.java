package io.edgeway.cache;

/** Entity-tag comparison (RFC 9110 section 8.8.3.2). */
final class ETags {
  private ETags() {}

  /** Weak comparison of an {@code If-None-Match} list against a stored tag. */
  static boolean weakMatch(String ifNoneMatch, String stored) {
    String target = opaque(stored);
    if (target == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.equals("*")) {
        return true;
      }
      if (target.equals(opaque(c))) {
        return true;
      }
    }
    return false;
  }

  private static String opaque(String tag) {
    String t = tag.trim();
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    return t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"' ? t : null;
  }
}
