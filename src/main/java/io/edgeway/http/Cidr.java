package io.edgeway.http;

import static java.util.Objects.requireNonNull;

/**
 * An IPv4 or IPv6 network such as {@code 10.0.0.0/8} or {@code fd00::/8} (a bare address is a
 * single-host network). Parsing reads literals only: no {@code InetAddress}, so no text can ever
 * cause a DNS lookup. The address is held as two longs so {@link #contains} allocates nothing.
 *
 * @param high the first 64 bits of the network (IPv6), 0 for IPv4
 * @param low the last 64 bits of the network (IPv6), or the 32 address bits (IPv4)
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 * @param ipv6 whether this is an IPv6 network
 */
public record Cidr(long high, long low, int prefixLength, boolean ipv6) {

  private static final String EXPECTED = " (expected: an IP network such as 10.0.0.0/8, 192.168.1.7 or fd00::/8)";

  /** Validates the prefix and clears the host bits, so equal networks are equal records. */
  public Cidr {
    int max = ipv6 ? 128 : 32;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException("/" + prefixLength + " (expected: a prefix length from 0 to " + max + ")");
    }
    if (ipv6) {
      high &= mask64(prefixLength);
      low &= mask64(prefixLength - 64);
    } else {
      high = 0;
      low &= mask64(prefixLength + 32) & 0xFFFF_FFFFL;
    }
  }

  /**
   * Parses {@code address[/prefix]}.
   *
   * @throws IllegalArgumentException with a message {@code value (expected: ...)}
   */
  public static Cidr parse(String text) {
    requireNonNull(text, "text");
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    long[] bits = new long[2];
    boolean v6 = address.indexOf(':') >= 0;
    if (!(v6 ? parseV6(address, bits) : parseV4(address, bits))) {
      throw new IllegalArgumentException(text + EXPECTED);
    }
    int max = v6 ? 128 : 32;
    int prefix = max;
    if (slash >= 0) {
      String digits = text.substring(slash + 1);
      prefix = digits.isEmpty() || digits.length() > 3 ? -1 : 0;
      for (int i = 0; i < digits.length() && prefix >= 0; i++) {
        char c = digits.charAt(i);
        prefix = c >= '0' && c <= '9' ? prefix * 10 + (c - '0') : -1;
      }
      if (prefix < 0) {
        throw new IllegalArgumentException(text + EXPECTED);
      }
      if (prefix > max) {
        throw new IllegalArgumentException(text + " (expected: a prefix length from 0 to " + max + ")");
      }
    }
    return new Cidr(bits[0], bits[1], prefix, v6);
  }

  /**
   * True when {@code address} (4 or 16 bytes, as from {@code InetAddress.getAddress()}) lies in
   * this network. An IPv4 address and its IPv4-mapped IPv6 form ({@code ::ffff:a.b.c.d}) are the
   * same address here.
   */
  public boolean contains(byte[] address) {
    if (address == null) {
      return false;
    }
    if (address.length == 4) {
      long v4 = bits(address, 0, 4);
      return ipv6 ? matchesV6(0L, 0xFFFF_0000_0000L | v4) : matchesV4(v4);
    }
    if (address.length != 16) {
      return false;
    }
    long h = bits(address, 0, 8);
    long l = bits(address, 8, 16);
    if (ipv6) {
      return matchesV6(h, l);
    }
    return h == 0 && (l >>> 32) == 0xFFFFL && matchesV4(l & 0xFFFF_FFFFL);
  }

  private boolean matchesV4(long v4) {
    return (v4 & mask64(prefixLength + 32) & 0xFFFF_FFFFL) == low;
  }

  private boolean matchesV6(long h, long l) {
    return (h & mask64(prefixLength)) == high && (l & mask64(prefixLength - 64)) == low;
  }

  /**
   * Parses an IPv4 or IPv6 literal (IPv6 optionally in brackets) without any name resolution.
   *
   * @return the address bytes (4 for IPv4, 16 for IPv6), or null when the text is not a literal
   */
  public static byte[] parseAddressLiteral(String text) {
    if (text == null || text.isEmpty() || text.length() > 47) {
      return null;
    }
    String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    long[] bits = new long[2];
    if (literal.indexOf(':') >= 0) {
      if (!parseV6(literal, bits)) {
        return null;
      }
      byte[] out = new byte[16];
      for (int i = 0; i < 8; i++) {
        out[i] = (byte) (bits[0] >>> (56 - 8 * i));
        out[8 + i] = (byte) (bits[1] >>> (56 - 8 * i));
      }
      return out;
    }
    if (!parseV4(literal, bits)) {
      return null;
    }
    long v4 = bits[1];
    return new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
  }

  /** A mask of the top {@code bits} bits of a long (0 or fewer: none, 64 or more: all). */
  private static long mask64(int bits) {
    if (bits <= 0) {
      return 0L;
    }
    return bits >= 64 ? -1L : -1L << (64 - bits);
  }

  private static long bits(byte[] address, int from, int to) {
    long value = 0;
    for (int i = from; i < to; i++) {
      value = (value << 8) | (address[i] & 0xFF);
    }
    return value;
  }

  private static boolean parseV4(String text, long[] out) {
    long value = 0;
    int parts = 0;
    int i = 0;
    int n = text.length();
    while (parts < 4) {
      int start = i;
      int part = 0;
      while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - start < 3) {
        part = part * 10 + (text.charAt(i++) - '0');
      }
      // No empty parts, no leading zeros (010 is octal to some parsers), no part above 255.
      if (i == start || part > 255 || (text.charAt(start) == '0' && i - start > 1)) {
        return false;
      }
      value = (value << 8) | part;
      parts++;
      if (parts < 4) {
        if (i >= n || text.charAt(i) != '.') {
          return false;
        }
        i++;
      }
    }
    if (i != n) {
      return false;
    }
    out[0] = 0;
    out[1] = value;
    return true;
  }

  private static boolean parseV6(String text, long[] out) {
    int n = text.length();
    if (n < 2 || n > 45) {
      return false;
    }
    int[] groups = new int[8];
    int count = 0;
    int gap = -1;
    int i = 0;
    if (text.startsWith("::")) {
      gap = 0;
      i = 2;
    } else if (text.charAt(0) == ':') {
      return false;
    }
    while (i < n) {
      if (count == 8) {
        return false;
      }
      int start = i;
      int value = 0;
      while (i < n && i - start < 4 && hex(text.charAt(i)) >= 0) {
        value = (value << 4) | hex(text.charAt(i++));
      }
      if (i < n && text.charAt(i) == '.') {
        // Trailing dotted IPv4 (::ffff:10.0.0.1) fills the last two groups.
        long[] v4 = new long[2];
        if (count > 6 || !parseV4(text.substring(start), v4)) {
          return false;
        }
        groups[count++] = (int) (v4[1] >>> 16);
        groups[count++] = (int) (v4[1] & 0xFFFF);
        i = n;
        break;
      }
      if (i == start) {
        return false;
      }
      groups[count++] = value;
      if (i == n) {
        break;
      }
      if (text.charAt(i) != ':') {
        return false;
      }
      i++;
      if (i < n && text.charAt(i) == ':') {
        if (gap >= 0) {
          return false;
        }
        gap = count;
        i++;
      } else if (i == n) {
        return false;
      }
    }
    if (gap < 0 ? count != 8 : count > 7) {
      return false;
    }
    int[] full = new int[8];
    if (gap < 0) {
      full = groups;
    } else {
      int tail = count - gap;
      System.arraycopy(groups, 0, full, 0, gap);
      System.arraycopy(groups, gap, full, 8 - tail, tail);
    }
    long h = 0;
    long l = 0;
    for (int g = 0; g < 4; g++) {
      h = (h << 16) | full[g];
      l = (l << 16) | full[g + 4];
    }
    out[0] = h;
    out[1] = l;
    return true;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  /** The network in its usual notation: {@code 10.0.0.0/8}, {@code fd00::/8}. */
  @Override
  public String toString() {
    if (!ipv6) {
      return (low >>> 24) + "." + ((low >>> 16) & 0xFF) + "." + ((low >>> 8) & 0xFF) + "." + (low & 0xFF) + "/" + prefixLength;
    }
    byte[] address = new byte[16];
    for (int i = 0; i < 8; i++) {
      address[i] = (byte) (high >>> (56 - 8 * i));
      address[8 + i] = (byte) (low >>> (56 - 8 * i));
    }
    return IpAddressText.formatV6(address) + "/" + prefixLength;
  }
}
