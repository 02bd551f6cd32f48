package io.edgeway.http;

/**
 * Character classes and comma-list scanning shared by the edge checks (RFC 9110 §5.6). Package
 * private: these are building blocks, not API.
 */
public final class HeaderSyntax {
  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (int c = 0; c < 128; c++) {
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      TCHAR[c] = alnum || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
  }

  private HeaderSyntax() {}

  static boolean isTchar(char c) {
    return c < 128 && TCHAR[c];
  }

  /** RFC 9110 token: 1*tchar. */
  static boolean isToken(CharSequence s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** A field value holds no controls other than HTAB (so no CR, LF or NUL). */
  static boolean isValidFieldValue(CharSequence s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        return false;
      }
    }
    return true;
  }

  static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /** Receives one element of a comma-separated header list, as {@code list[start, end)}. */
  @FunctionalInterface
  public interface ListElement {
    /** Returns false to stop the walk. */
    boolean accept(String list, int start, int end);
  }

  /**
   * Walks the elements of a comma-separated list (RFC 9110 §5.6.1) with surrounding whitespace
   * trimmed; empty elements are passed too ({@code start == end}). Allocates nothing itself.
   *
   * @return false when the visitor stopped the walk
   */
  public static boolean forEachListElement(String value, ListElement visitor) {
    int n = value.length();
    int i = 0;
    while (i <= n) {
      int comma = value.indexOf(',', i);
      if (comma < 0) {
        comma = n;
      }
      int start = i;
      int end = comma;
      while (start < end && isOws(value.charAt(start))) {
        start++;
      }
      while (end > start && isOws(value.charAt(end - 1))) {
        end--;
      }
      if (!visitor.accept(value, start, end)) {
        return false;
      }
      i = comma + 1;
    }
    return true;
  }

  /**
   * True when the comma-separated list {@code value} has an element equal (ignoring ASCII case
   * and surrounding whitespace) to one of {@code names}.
   */
  public static boolean listContainsAny(String value, String... names) {
    return !forEachListElement(value, (list, start, end) -> {
      for (String name : names) {
        if (end - start == name.length() && list.regionMatches(true, start, name, 0, name.length())) {
          return false;
        }
      }
      return true;
    });
  }
}
