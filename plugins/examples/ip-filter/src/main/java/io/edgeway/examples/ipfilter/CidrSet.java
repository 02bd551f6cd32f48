package io.edgeway.examples.ipfilter;

import java.util.List;

/**
 * A list of CIDR blocks flattened into primitive arrays at load time, so matching an address is a
 * loop over longs: no allocation, no boxing. A linear scan suits the tens of rules an allow or deny
 * list holds; thousands of rules would want a prefix trie instead.
 */
final class CidrSet {
  private final long[] v4Networks;
  private final long[] v4Masks;
  private final long[] v6High;
  private final long[] v6Low;
  private final long[] v6MaskHigh;
  private final long[] v6MaskLow;

  private CidrSet(List<Cidr> cidrs) {
    int v4 = 0;
    int v6 = 0;
    for (Cidr cidr : cidrs) {
      if (cidr.ipv6()) {
        v6++;
        if (cidr.coversAllIpv4Mapped()) {
          v4++; // ::/0 and friends also match IPv4 clients, which are matched as ::ffff:a.b.c.d
        }
      } else {
        v4++;
      }
    }
    v4Networks = new long[v4];
    v4Masks = new long[v4];
    v6High = new long[v6];
    v6Low = new long[v6];
    v6MaskHigh = new long[v6];
    v6MaskLow = new long[v6];
    int i4 = 0;
    int i6 = 0;
    for (Cidr cidr : cidrs) {
      if (cidr.ipv6()) {
        v6High[i6] = cidr.high();
        v6Low[i6] = cidr.low();
        v6MaskHigh[i6] = Cidr.maskHigh(cidr.prefix());
        v6MaskLow[i6] = Cidr.maskLow(cidr.prefix());
        i6++;
        if (cidr.coversAllIpv4Mapped()) {
          v4Networks[i4] = 0;
          v4Masks[i4] = 0;
          i4++;
        }
      } else {
        v4Networks[i4] = cidr.low();
        v4Masks[i4] = Cidr.mask32(cidr.prefix());
        i4++;
      }
    }
  }

  static CidrSet of(List<Cidr> cidrs) {
    return new CidrSet(List.copyOf(cidrs));
  }

  boolean isEmpty() {
    return v4Networks.length == 0 && v6High.length == 0;
  }

  /** Whether an IPv4 address (unsigned 32 bits) is in one of the blocks. */
  boolean containsIpv4(long address) {
    for (int i = 0; i < v4Networks.length; i++) {
      if ((address & v4Masks[i]) == v4Networks[i]) {
        return true;
      }
    }
    return false;
  }

  /** Whether an IPv6 address (not IPv4-mapped) is in one of the blocks. */
  boolean containsIpv6(long high, long low) {
    for (int i = 0; i < v6High.length; i++) {
      if ((high & v6MaskHigh[i]) == v6High[i] && (low & v6MaskLow[i]) == v6Low[i]) {
        return true;
      }
    }
    return false;
  }
}
