package io.edgeway.examples.ipfilter;

/**
 * One CIDR block from the configuration. IPv4 blocks keep their address in the low 32 bits of
 * {@code low}. An IPv6 block inside {@code ::ffff:0:0/96} (IPv4-mapped) is stored as the IPv4 block it
 * names, since a mapped client address is matched as IPv4.
 *
 * @param ipv6 whether this is an IPv6 block
 * @param high the network's high 64 bits (IPv6 only)
 * @param low the network's low 64 bits (IPv6), or the IPv4 network
 * @param prefix the prefix length, 0..32 or 0..128
 */
record Cidr(boolean ipv6, long high, long low, int prefix) {
  static final String EXPECTED = "a CIDR such as 10.0.0.0/8 or 2001:db8::/32";

  /**
   * Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single address ({@code 192.0.2.7} means
   * {@code /32}, an IPv6 address {@code /128}). A block with bits set past its prefix
   * ({@code 10.0.0.1/8}) is rejected: whether the operator meant the network or the host cannot be
   * told, and silently widening a rule to the whole network is the worse guess.
   *
   * @throws IllegalArgumentException {@code text (expected: ...)}
   */
  static Cidr parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException(text + " (expected: " + EXPECTED + ")");
    }
    int slash = text.indexOf('/');
    int end = slash < 0 ? text.length() : slash;
    boolean ipv6 = text.lastIndexOf(':', end) >= 0;
    int max = ipv6 ? 128 : 32;
    int prefix = slash < 0 ? max : parsePrefix(text, slash + 1);
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException(text + " (expected: " + EXPECTED + ")");
    }
    if (!ipv6) {
      long address = IpAddressText.parseIpv4(text, 0, end);
      if (address == IpAddressText.NOT_IPV4) {
        throw new IllegalArgumentException(text + " (expected: " + EXPECTED + ")");
      }
      long network = address & mask32(prefix);
      if (network != address) {
        throw new IllegalArgumentException(text + " (expected: a CIDR without host bits, such as "
            + IpAddressText.formatIpv4(network) + "/" + prefix + ")");
      }
      return new Cidr(false, 0, address, prefix);
    }
    long[] address = new long[2];
    if (!IpAddressText.parseIpv6(text.substring(0, end), false, address)) {
      throw new IllegalArgumentException(text + " (expected: " + EXPECTED + ")");
    }
    long high = address[0] & maskHigh(prefix);
    long low = address[1] & maskLow(prefix);
    if (high != address[0] || low != address[1]) {
      throw new IllegalArgumentException(text + " (expected: a CIDR without host bits, such as "
          + IpAddressText.formatIpv6(high, low) + "/" + prefix + ")");
    }
    if (prefix >= 96 && IpAddressText.isIpv4Mapped(high, low)) {
      return new Cidr(false, 0, low & 0xffff_ffffL, prefix - 96);
    }
    return new Cidr(true, high, low, prefix);
  }

  /** Whether this IPv6 block contains every IPv4-mapped address (e.g. {@code ::/0}, {@code ::ffff:0:0/96}). */
  boolean coversAllIpv4Mapped() {
    return ipv6 && prefix <= 96 && (0L & maskHigh(prefix)) == high && (0xffff_0000_0000L & maskLow(prefix)) == low;
  }

  static long mask32(int prefix) {
    return prefix == 0 ? 0 : (0xffff_ffffL << (32 - prefix)) & 0xffff_ffffL;
  }

  static long maskHigh(int prefix) {
    return prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
  }

  static long maskLow(int prefix) {
    return prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
  }

  private static int parsePrefix(String text, int from) {
    int length = text.length() - from;
    if (length < 1 || length > 3 || (length > 1 && text.charAt(from) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  @Override
  public String toString() {
    return (ipv6 ? IpAddressText.formatIpv6(high, low) : IpAddressText.formatIpv4(low)) + "/" + prefix;
  }
}
