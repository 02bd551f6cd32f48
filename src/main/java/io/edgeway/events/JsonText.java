package io.edgeway.events;

/** Minimal JSON writing for event data built on the event loop (no tree, no reflection). */
final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  static StringBuilder field(StringBuilder b, String name, String value) {
    string(b, name).append(':');
    return value == null ? b.append("null") : string(b, value);
  }

  static StringBuilder field(StringBuilder b, String name, long value) {
    return string(b, name).append(':').append(value);
  }

  static StringBuilder string(StringBuilder b, String value) {
    b.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
        b.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
            .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
      } else {
        b.append(c);
      }
    }
    return b.append('"');
  }
}
