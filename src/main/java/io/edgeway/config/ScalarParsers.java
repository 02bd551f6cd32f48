package io.edgeway.config;

import java.time.Duration;

/**
 * Strict text-to-value conversions for YAML scalars: one spelling per value, so {@code 0x10},
 * {@code 1_000}, {@code yes} or a duration without a unit are errors rather than surprises.
 * Each method returns null when the text does not match; the caller words the message.
 */
final class ScalarParsers {

  static final String DURATION_EXPECTED = "a duration such as 250ms, 5s, 1m";

  private ScalarParsers() {}

  static Boolean parseBoolean(String text) {
    return switch (text) {
      case "true", "True", "TRUE" -> Boolean.TRUE;
      case "false", "False", "FALSE" -> Boolean.FALSE;
      default -> null;
    };
  }

  /** A decimal integer with an optional sign; null when malformed or beyond a long. */
  static Long parseLong(String text) {
    int start = !text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
    if (text.length() == start || text.length() > 20) {
      return null;
    }
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A finite decimal number; hex floats, {@code 1d}, {@code .inf} and {@code NaN} are rejected. */
  static Double parseDouble(String text) {
    if (text.isEmpty() || text.length() > 40) {
      return null;
    }
    boolean digit = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
        return null;
      }
    }
    if (!digit) {
      return null;
    }
    try {
      double value = Double.parseDouble(text);
      return Double.isFinite(value) ? value : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * {@code 250ms}, {@code 5s}, {@code 1m}, {@code 2h}, {@code 1d}: digits then a unit. A bare number
   * is rejected on purpose: whether {@code 30} meant seconds or milliseconds is a classic outage.
   *
   * @throws IllegalArgumentException with a {@code value (expected: ...)} message
   */
  static Duration parseDuration(String text) {
    int i = 0;
    while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    if (i == 0 || i > 12) {
      throw new IllegalArgumentException(text + " (expected: " + DURATION_EXPECTED + ")");
    }
    long amount = Long.parseLong(text.substring(0, i));
    return switch (text.substring(i)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      case "" -> throw new IllegalArgumentException(text + " (expected: " + DURATION_EXPECTED + "; the unit is required)");
      default -> throw new IllegalArgumentException(text + " (expected: " + DURATION_EXPECTED + ")");
    };
  }

  /** ROUND_ROBIN is written round-robin. */
  static String kebab(Enum<?> constant) {
    return constant.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** maxEntrySize is written max-entry-size. */
  static String kebab(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (i > 0) {
          out.append('-');
        }
        out.append((char) (c + ('a' - 'A')));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
