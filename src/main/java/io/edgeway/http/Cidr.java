package io.edgeway.http;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a
 * single-host network. Parses literals only: never resolves a host name.
 */
public final class Cidr {
  private final byte[] network;
  private final int prefixLength;
  private final String text;

  private Cidr(byte[] network, int prefixLength, String text) {
    this.network = network;
    this.prefixLength = prefixLength;
    this.text = text;
  }

  /**
   * Parses {@code address[/prefix]}.
   *
   * @throws IllegalArgumentException with a message {@code value (expected: ...)}
   */
  public static Cidr parse(String text) {
    requireNonNull(text, "text");
    String expected = " (expected: an IP network such as 10.0.0.0/8, 192.168.1.7 or fd00::/8)";
    int slash = text.indexOf('/');
    String addressPart = slash < 0 ? text : text.substring(0, slash);
    byte[] address = parseAddressLiteral(addressPart);
    if (address == null) {
      throw new IllegalArgumentException(text + expected);
    }
    int maxPrefix = address.length * 8;
    int prefix = maxPrefix;
    if (slash >= 0) {
      String p = text.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException(text + expected);
      }
      prefix = Integer.parseInt(p);
      if (prefix > maxPrefix) {
        throw new IllegalArgumentException(text + " (expected: a prefix length from 0 to " + maxPrefix + ")");
      }
    }
    return new Cidr(mask(address, prefix), prefix, text);
  }

  /**
   * Parses an IPv4 or IPv6 literal without any name resolution.
   *
   * @return the address bytes (4 or 16), or null when the text is not an IP literal
   */
  public static byte[] parseAddressLiteral(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return null;
    }
    if (text.indexOf(':') >= 0) {
      String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!ok) {
          return null;
        }
      }
      try {
        // A literal with only hex digits, ':' and '.' never triggers a DNS lookup.
        byte[] b = InetAddress.getByName(s).getAddress();
        return b.length == 4 ? toMappedV6(b) : b;
      } catch (UnknownHostException e) {
        return null;
      }
    }
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part > 3) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        if (value == 0) {
          return null; // a leading zero ("010") is octal to some parsers: refuse the ambiguity
        }
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  /** True when {@code address} (4 or 16 bytes) lies inside this network. */
  public boolean contains(byte[] address) {
    if (address == null) {
      return false;
    }
    if (address.length != network.length) {
      // An IPv4 address seen as ::ffff:a.b.c.d matches an IPv4 network and vice versa.
      if (address.length == 16 && network.length == 4 && isMappedV4(address)) {
        address = Arrays.copyOfRange(address, 12, 16);
      } else if (address.length == 4 && network.length == 16) {
        address = toMappedV6(address);
      } else {
        return false;
      }
    }
    int fullBytes = prefixLength / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int m = (0xFF << (8 - rest)) & 0xFF;
    return (address[fullBytes] & m) == (network[fullBytes] & m);
  }

  private static boolean isMappedV4(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
  }

  private static byte[] toMappedV6(byte[] v4) {
    byte[] out = new byte[16];
    out[10] = (byte) 0xFF;
    out[11] = (byte) 0xFF;
    System.arraycopy(v4, 0, out, 12, 4);
    return out;
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int bit = prefix; bit < out.length * 8; bit++) {
      out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return out;
  }

  @Override
  public String toString() {
    return text;
  }
}
