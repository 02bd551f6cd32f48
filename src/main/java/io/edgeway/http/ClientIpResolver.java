package io.edgeway.http;

import static java.util.Objects.requireNonNull;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * Finds the address of the client a request is for (security.md D1, D2, G1): the socket peer,
 * unless the peer is one of the configured trusted proxies, in which case
 * {@code X-Forwarded-For} is walked from the right, skipping trusted addresses, and the first
 * untrusted address is the client. The leftmost entry, which any client can write, is never
 * believed on its own.
 *
 * <p>A malformed entry (not an IP literal, e.g. {@code unknown} or an obfuscated id) stops the
 * walk and the last trusted hop is the answer: whatever is left of it was not written by anyone
 * we trust. Entries may carry a port ({@code 1.2.3.4:5678}, {@code [2001:db8::1]:443}). The walk
 * covers at most {@value #MAX_HOPS} entries, so a header stuffed with trusted addresses costs a
 * bounded amount of work; past that the last trusted hop is returned. {@code Forwarded} is never
 * read: trusted proxies are expected to speak {@code X-Forwarded-For}.
 *
 * <p>Returned addresses are in canonical text form (IPv4 dotted, IPv6 per RFC 5952, IPv4-mapped
 * IPv6 as IPv4). A peer that is not an IP literal (e.g. a unix socket path) is returned unchanged
 * and is never trusted.
 */
public final class ClientIpResolver {
  private final boolean noTrustedProxies;
  static final int MAX_HOPS = 32;

  private final Cidr[] trustedProxies;

  public ClientIpResolver(List<Cidr> trustedProxies) {
    requireNonNull(trustedProxies, "trustedProxies");
    this.trustedProxies = trustedProxies.toArray(new Cidr[0]);
    for (int i = 0; i < this.trustedProxies.length; i++) {
      requireNonNull(this.trustedProxies[i], "trustedProxies[" + i + "]");
    }
    this.noTrustedProxies = this.trustedProxies.length == 0;
  }

  /**
   * @param peerAddress the socket peer as Vert.x reports it ({@code remoteAddress().hostAddress()})
   * @param headers the request headers as received (before any stripping)
   * @return the client address in canonical form
   */
  public String resolve(String peerAddress, MultiMap headers) {
    requireNonNull(peerAddress, "peerAddress");
    requireNonNull(headers, "headers");
    if (noTrustedProxies && peerAddress.indexOf(':') < 0) {
      // The common edge case: nobody is trusted and the peer is a dotted IPv4 literal, which is
      // already canonical. Skip parsing and formatting on the hot path.
      return peerAddress;
    }
    byte[] peer = IpAddressText.parse(peerAddress);
    if (peer == null) {
      return peerAddress;
    }
    String current = IpAddressText.format(peer);
    if (!isTrusted(peer)) {
      return current;
    }
    List<String> lines = headers.getAll("x-forwarded-for");
    int hops = 0;
    for (int line = lines.size() - 1; line >= 0; line--) {
      String value = lines.get(line);
      int end = value.length();
      while (true) {
        if (++hops > MAX_HOPS) {
          return current;
        }
        int comma = value.lastIndexOf(',', end - 1);
        byte[] hop = parseForwardedFor(value.substring(comma + 1, end).trim());
        if (hop == null) {
          return current;
        }
        String hopText = IpAddressText.format(hop);
        if (!isTrusted(hop)) {
          return hopText;
        }
        current = hopText;
        if (comma < 0) {
          break;
        }
        end = comma;
      }
    }
    return current;
  }

  /** True when {@code peerAddress} is an IP literal inside one of the trusted networks. */
  public boolean isTrustedPeer(String peerAddress) {
    requireNonNull(peerAddress, "peerAddress");
    if (noTrustedProxies) {
      return false;
    }
    byte[] address = IpAddressText.parse(peerAddress);
    return address != null && isTrusted(address);
  }

  private boolean isTrusted(byte[] address) {
    for (Cidr network : trustedProxies) {
      if (network.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** One X-Forwarded-For element: an IP literal, optionally bracketed, optionally with a port. */
  static byte[] parseForwardedFor(String entry) {
    int n = entry.length();
    if (n == 0) {
      return null;
    }
    if (entry.charAt(0) == '[') {
      int close = entry.indexOf(']');
      if (close < 0 || (close + 1 < n && !isPortSuffix(entry, close + 1))) {
        return null;
      }
      String literal = entry.substring(1, close);
      return literal.indexOf(':') < 0 ? null : Cidr.parseAddressLiteral(literal);
    }
    int colon = entry.indexOf(':');
    if (colon >= 0 && colon == entry.lastIndexOf(':')) {
      // a single ':' can only be IPv4 with a port
      if (!isPortSuffix(entry, colon)) {
        return null;
      }
      byte[] v4 = Cidr.parseAddressLiteral(entry.substring(0, colon));
      return v4 != null && v4.length == 4 ? v4 : null;
    }
    return Cidr.parseAddressLiteral(entry);
  }

  private static boolean isPortSuffix(String s, int colon) {
    int digits = s.length() - colon - 1;
    if (s.charAt(colon) != ':' || digits < 1 || digits > 5) {
      return false;
    }
    int port = 0;
    for (int i = colon + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535;
  }
}
