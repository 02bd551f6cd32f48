package io.edgeway.examples.ipfilter;

/**
 * Parses IP address literals strictly, without DNS. {@code InetAddress.getByName} is never used: given
 * something that is not a literal it resolves a host name, which blocks (and on an event loop, stalls
 * every request of that loop). It is also lenient where a filter must not be: it reads {@code 010.1.1.1}
 * or {@code 10.1} as addresses.
 */
final class IpAddressText {
  /** What {@link #parseIpv4} returns for text that is not a dotted quad. */
  static final long NOT_IPV4 = -1L;

  private IpAddressText() {}

  /**
   * A dotted-quad IPv4 address: exactly four decimal parts 0..255, no sign, no leading zeros (which
   * some parsers read as octal), nothing else.
   *
   * @return the address as an unsigned 32-bit value, or {@link #NOT_IPV4}
   */
  static long parseIpv4(CharSequence text, int from, int to) {
    long result = 0;
    int parts = 0;
    int i = from;
    while (true) {
      int start = i;
      int value = 0;
      while (i < to && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        value = value * 10 + (text.charAt(i) - '0');
        i++;
        if (i - start > 3) {
          return NOT_IPV4;
        }
      }
      int length = i - start;
      if (length == 0 || (length > 1 && text.charAt(start) == '0') || value > 255) {
        return NOT_IPV4;
      }
      result = (result << 8) | value;
      parts++;
      if (i == to) {
        break;
      }
      if (text.charAt(i) != '.' || parts == 4) {
        return NOT_IPV4;
      }
      i++;
    }
    return parts == 4 ? result : NOT_IPV4;
  }

  /**
   * An IPv6 literal (RFC 4291 text forms: eight groups, one {@code ::}, an IPv4 tail), optionally in
   * brackets and with a zone ({@code fe80::1%eth0}, the zone is ignored) when {@code lenient}.
   *
   * @param out receives the high and low 64 bits
   * @return false when the text is not an IPv6 literal
   */
  static boolean parseIpv6(String text, boolean lenient, long[] out) {
    int from = 0;
    int to = text.length();
    if (lenient) {
      if (to >= 2 && text.charAt(0) == '[' && text.charAt(to - 1) == ']') {
        from++;
        to--;
      }
      int zone = text.indexOf('%', from);
      if (zone >= 0 && zone < to) {
        if (zone == to - 1) {
          return false;
        }
        to = zone;
      }
    }
    if (to - from < 2) {
      return false;
    }
    int[] groups = new int[8];
    int count = 0;
    int gap = -1; // where "::" stands, as an index into groups
    int i = from;
    if (text.charAt(i) == ':') {
      if (text.charAt(i + 1) != ':') {
        return false;
      }
      gap = 0;
      i += 2;
    }
    while (i < to) {
      if (count == 8) {
        return false;
      }
      int start = i;
      int value = 0;
      int digit;
      while (i < to && i - start < 5 && (digit = Character.digit(text.charAt(i), 16)) >= 0) {
        value = (value << 4) | digit;
        i++;
      }
      if (i < to && text.charAt(i) == '.') {
        // An IPv4 tail (::ffff:192.0.2.1) is the last two groups.
        long v4 = count > 6 ? NOT_IPV4 : parseIpv4(text, start, to);
        if (v4 == NOT_IPV4) {
          return false;
        }
        groups[count++] = (int) (v4 >>> 16);
        groups[count++] = (int) (v4 & 0xffff);
        break;
      }
      int length = i - start;
      if (length == 0 || length > 4) {
        return false;
      }
      groups[count++] = value;
      if (i == to) {
        break;
      }
      if (text.charAt(i) != ':') {
        return false;
      }
      i++;
      if (i < to && text.charAt(i) == ':') {
        if (gap >= 0) {
          return false;
        }
        gap = count;
        i++;
      } else if (i == to) {
        return false; // a single trailing colon
      }
    }
    if (gap < 0 ? count != 8 : count > 7) {
      return false;
    }
    if (gap >= 0) {
      int tail = count - gap;
      System.arraycopy(groups, gap, groups, 8 - tail, tail);
      for (int g = gap; g < 8 - tail; g++) {
        groups[g] = 0;
      }
    }
    out[0] = ((long) groups[0] << 48) | ((long) groups[1] << 32) | ((long) groups[2] << 16) | groups[3];
    out[1] = ((long) groups[4] << 48) | ((long) groups[5] << 32) | ((long) groups[6] << 16) | groups[7];
    return true;
  }

  /** True for {@code ::ffff:a.b.c.d}: an IPv4 client on a dual-stack socket. */
  static boolean isIpv4Mapped(long high, long low) {
    return high == 0 && (low >>> 32) == 0xffffL;
  }

  /** An IPv4 address in dotted-quad form. */
  static String formatIpv4(long address) {
    return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
        + (address & 0xff);
  }

  /** An IPv6 address in its RFC 5952 form: lower case, the longest run of two or more zero groups as {@code ::}. */
  static String formatIpv6(long high, long low) {
    int[] groups = new int[8];
    for (int g = 0; g < 4; g++) {
      groups[g] = (int) ((high >>> (48 - 16 * g)) & 0xffff);
      groups[g + 4] = (int) ((low >>> (48 - 16 * g)) & 0xffff);
    }
    int bestStart = -1;
    int bestLength = 1;
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
      out.append(Integer.toHexString(groups[g]));
    }
    return out.toString();
  }
}
