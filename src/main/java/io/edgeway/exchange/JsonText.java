package io.edgeway.exchange;

/** Hand-written JSON for the few small documents the request path emits (no object tree, no reflection). */
public final class JsonText {
  private JsonText() {}

  /** Appends {@code value} as a JSON string literal, or {@code null}. */
  public static StringBuilder appendString(StringBuilder json, String value) {
    if (value == null) {
      return json.append("null");
    }
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"');
  }

  /** Appends {@code "name":value} with the value as a JSON string (or null). */
  public static StringBuilder appendField(StringBuilder json, String name, String value) {
    json.append('"').append(name).append("\":");
    return appendString(json, value);
  }
}
