package io.edgeway.exchange;

/**
 * Hand-written JSON for the small documents built on the request path (problem bodies, the
 * access log, event data): no object tree, no reflection.
 */
public final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /** Appends {@code value} as a JSON string literal, or {@code null}. */
  public static StringBuilder appendString(StringBuilder json, String value) {
    if (value == null) {
      return json.append("null");
    }
    int clean = 0;
    int length = value.length();
    while (clean < length && !needsEscape(value.charAt(clean))) {
      clean++;
    }
    // The common case (ids, paths, names) has nothing to escape: one bulk copy.
    json.append('"');
    if (clean == length) {
      return json.append(value).append('"');
    }
    json.append(value, 0, clean);
    for (int i = clean; i < length; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (isControlOrSeparator(c)) {
        // Control characters, and the two separators JavaScript parsers treat as line ends.
        json.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
            .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
      } else {
        json.append(c);
      }
    }
    return json.append('"');
  }

  private static boolean needsEscape(char c) {
    return c == '"' || c == '\\' || isControlOrSeparator(c);
  }

  private static boolean isControlOrSeparator(char c) {
    return c < 0x20 || c == 0x2028 || c == 0x2029;
  }

  /** Appends {@code "name":"value"} (value null: {@code null}); the name is escaped too. */
  public static StringBuilder appendField(StringBuilder json, String name, String value) {
    return appendString(appendString(json, name).append(':'), value);
  }

  /** Appends {@code "name":value} for a number. */
  public static StringBuilder appendField(StringBuilder json, String name, long value) {
    return appendString(json, name).append(':').append(value);
  }
}
