package io.edgeway.http;

import static java.util.Objects.requireNonNull;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.List;

/**
 * Writes the forwarding headers of the upstream request (security.md D1-D3): the gateway states
 * who the client is, which scheme and host it used; nothing the client sent survives unless it
 * came through a trusted proxy.
 *
 * <ul>
 *   <li>{@code X-Forwarded-For}: the incoming chain plus the socket peer when the peer is a trusted
 *       proxy, otherwise just the peer (any client-written value is replaced).
 *   <li>{@code X-Forwarded-Proto}, {@code X-Forwarded-Host}: overwritten.
 *   <li>{@code Forwarded} (RFC 7239): one element {@code for=<client>;proto=...;host=...} for the
 *       resolved client; IPv6 is quoted and bracketed, a non-IP client is {@code for=unknown}.
 *       The incoming chain is not repeated here; it lives in {@code X-Forwarded-For}.
 * </ul>
 */
public final class ForwardedHeaders {
  private ForwardedHeaders() {}

  // Names with a cached hash: set() on every request does not rehash them.
  private static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("x-forwarded-for");
  private static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("x-forwarded-proto");
  private static final CharSequence X_FORWARDED_HOST = HttpHeaders.createOptimized("x-forwarded-host");
  private static final CharSequence FORWARDED = HttpHeaders.createOptimized("forwarded");

  /**
   * @param upstreamHeaders the headers of the request to the upstream (already stripped by
   *     {@link HopByHopHeaders#stripRequest(MultiMap)}, which keeps {@code X-Forwarded-For})
   * @param clientIp the client address from {@link ClientIpResolver#resolve(String, MultiMap)}
   * @param peerIp the socket peer address
   * @param peerTrusted whether the peer is a trusted proxy ({@link ClientIpResolver#isTrustedPeer})
   * @param proto the scheme the client used with the gateway, {@code http} or {@code https}
   * @param host the {@code Host} the client sent, or null when it sent none (HTTP/1.0)
   */
  public static void apply(
      MultiMap upstreamHeaders, String clientIp, String peerIp, boolean peerTrusted, String proto, String host) {
    requireNonNull(upstreamHeaders, "upstreamHeaders");
    requireNonNull(clientIp, "clientIp");
    requireNonNull(peerIp, "peerIp");
    requireNonNull(proto, "proto");
    String peer = canonicalOrSelf(peerIp);
    String forwardedFor = peer;
    if (peerTrusted) {
      List<String> incoming = upstreamHeaders.getAll("x-forwarded-for");
      if (!incoming.isEmpty()) {
        StringBuilder chain = new StringBuilder();
        for (String line : incoming) {
          String trimmed = line.trim();
          if (!trimmed.isEmpty()) {
            chain.append(trimmed).append(", ");
          }
        }
        forwardedFor = chain.append(peer).toString();
      }
    }
    upstreamHeaders.set(X_FORWARDED_FOR, forwardedFor);
    upstreamHeaders.set(X_FORWARDED_PROTO, proto);
    if (host != null) {
      upstreamHeaders.set(X_FORWARDED_HOST, host);
    } else {
      upstreamHeaders.remove(X_FORWARDED_HOST);
    }
    upstreamHeaders.set(FORWARDED, forwardedElement(clientIp, proto, host));
  }

  /** The RFC 7239 element for one hop, e.g. {@code for="[2001:db8::1]";proto=https;host=a.example}. */
  static String forwardedElement(String clientIp, String proto, String host) {
    StringBuilder out = new StringBuilder(64).append("for=");
    // Dotted IPv4 from the socket or the resolver is already canonical; only IPv6 needs the parser.
    String client = isPlainIpv4(clientIp) ? clientIp : IpAddressText.canonical(clientIp);
    if (client == null) {
      out.append("unknown");
    } else if (client.indexOf(':') >= 0) {
      out.append("\"[").append(client).append("]\"");
    } else {
      out.append(client);
    }
    out.append(";proto=");
    appendValue(out, proto);
    if (host != null) {
      out.append(";host=");
      appendValue(out, host);
    }
    return out.toString();
  }

  /** RFC 7239 §4: value = token / quoted-string. */
  private static void appendValue(StringBuilder out, String value) {
    if (HeaderSyntax.isToken(value)) {
      out.append(value);
      return;
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    out.append('"');
  }

  /**
   * A cheap test for the common case, four 1-3 digit parts without leading zeros, which is
   * already canonical; anything else (IPv6, unix socket paths, odd forms) takes the parser.
   */
  private static boolean isPlainIpv4(String text) {
    int dots = 0;
    int digits = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.') {
        if (digits == 0 || ++dots > 3) {
          return false;
        }
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        if (digits == 1 && text.charAt(i - 1) == '0') {
          return false;
        }
        if (++digits > 3) {
          return false;
        }
      } else {
        return false;
      }
    }
    return dots == 3 && digits > 0;
  }

  private static String canonicalOrSelf(String address) {
    if (isPlainIpv4(address)) {
      return address; // dotted IPv4 from the socket is canonical already
    }
    String canonical = IpAddressText.canonical(address);
    return canonical == null ? address : canonical;
  }
}
