package io.edgeway.http;

/**
 * Reads and writes IP address literals in one canonical text form, so the same client is the
 * same string in rate-limit keys, logs and forwarded headers: IPv4 dotted decimal; IPv6 per
 * RFC 5952 (lower case, longest zero run compressed); an IPv4-mapped IPv6 address
 * ({@code ::ffff:a.b.c.d}, as dual-stack sockets report IPv4 peers) as plain IPv4.
 * Never resolves host names.
 */
final class IpAddressText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private IpAddressText() {}

  /**
   * Parses {@code 127.0.0.1}, {@code ::1}, {@code 0:0:0:0:0:0:0:1}, {@code [::1]}, also with an
   * IPv6 zone id ({@code fe80::1%eth0}, which is dropped).
   *
   * @return 4 or 16 bytes, or null when not an IP literal
   */
  static byte[] parse(String text) {
    if (text == null) {
      return null;
    }
    int zone = text.indexOf('%');
    if (zone >= 0) {
      int close = text.indexOf(']', zone);
      text = close < 0 ? text.substring(0, zone) : text.substring(0, zone) + text.substring(close);
    }
    return Cidr.parseAddressLiteral(text);
  }

  /** The canonical text of {@code text}, or null when it is not an IP literal. */
  static String canonical(String text) {
    byte[] address = parse(text);
    return address == null ? null : format(address);
  }

  static String format(byte[] a) {
    if (a.length == 4) {
      return formatV4(a, 0);
    }
    if (isMappedV4(a)) {
      return formatV4(a, 12);
    }
    return formatV6(a);
  }

  /** RFC 5952 text of 16 address bytes, without the IPv4-mapped special case. */
  static String formatV6(byte[] a) {
    int[] groups = new int[8];
    for (int g = 0; g < 8; g++) {
      groups[g] = ((a[2 * g] & 0xFF) << 8) | (a[2 * g + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLength = 1; // RFC 5952 §4.2.2: a single zero group is not compressed
    for (int g = 0; g < 8; ) {
      if (groups[g] != 0) {
        g++;
        continue;
      }
      int start = g;
      while (g < 8 && groups[g] == 0) {
        g++;
      }
      if (g - start > bestLength) {
        bestStart = start;
        bestLength = g - start;
      }
    }
    StringBuilder out = new StringBuilder(39);
    for (int g = 0; g < 8; g++) {
      if (g == bestStart) {
        out.append("::");
        g += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      appendHexGroup(out, groups[g]);
    }
    return out.toString();
  }

  private static void appendHexGroup(StringBuilder out, int value) {
    boolean started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      int digit = (value >> shift) & 0xF;
      if (digit != 0 || started || shift == 0) {
        out.append(HEX[digit]);
        started = true;
      }
    }
  }

  private static String formatV4(byte[] a, int offset) {
    return (a[offset] & 0xFF) + "." + (a[offset + 1] & 0xFF) + "." + (a[offset + 2] & 0xFF) + "."
        + (a[offset + 3] & 0xFF);
  }

  private static boolean isMappedV4(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
  }
}
