package io.edgeway.config;

import io.edgeway.http.Cidr;
import io.edgeway.spi.DataSize;
import java.time.Duration;

/**
 * Checks shared by the config records' compact constructors. Each message starts with the
 * component's key ({@code "port: -1 (expected: ...)"}) so the {@link Binder} reports it at that key.
 */
final class ComponentChecks {

  private ComponentChecks() {}

  static int range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + ": " + value + " (expected: an integer from " + min + " to " + max + ")");
    }
    return value;
  }

  static Duration positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + ": " + text(value) + " (expected: a duration > 0 such as 250ms, 5s, 1m)");
    }
    return value;
  }

  static Duration notNegative(String key, Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException(key + ": " + text(value) + " (expected: a duration >= 0 such as 0s, 5s, 1m)");
    }
    return value;
  }

  /** A size handed to Netty, which counts in ints. */
  static DataSize intSize(String key, DataSize value, long min) {
    if (value.bytes() < min || value.bytes() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + ": " + value + " (expected: a size from " + DataSize.ofBytes(min) + " to 2GiB)");
    }
    return value;
  }

  /** A host to bind to or connect to: an IP literal or a DNS name. Never resolved here. */
  static String host(String key, String value) {
    if (!isHostOrAddress(value)) {
      throw new IllegalArgumentException(key + ": " + (value.isEmpty() ? "\"\"" : value)
          + " (expected: an IP address such as 127.0.0.1 or ::1, or a host name such as api.internal)");
    }
    return value;
  }

  static boolean isHostOrAddress(String value) {
    if (value.isEmpty() || value.length() > 253) {
      return false;
    }
    if (value.indexOf(':') >= 0) {
      try {
        Cidr address = Cidr.parse(value);
        return address.ipv6();
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    int labelLength = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '.') {
        if (labelLength == 0 || value.charAt(i - 1) == '-') {
          return false;
        }
        labelLength = 0;
      } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c == '-' && labelLength > 0)) {
        if (++labelLength > 63) {
          return false;
        }
      } else {
        return false;
      }
    }
    return labelLength > 0 && value.charAt(value.length() - 1) != '-';
  }

  /** An HTTP field name (RFC 9110 token). */
  static boolean isToken(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A header value may not carry CR, LF or NUL (header injection upstream). */
  static boolean isFieldValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0 || (c < 0x20 && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static String text(Duration value) {
    long millis = value.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
