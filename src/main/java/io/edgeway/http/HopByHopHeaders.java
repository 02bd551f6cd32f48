package io.edgeway.http;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Removes what must never cross the gateway between client and upstream (security.md C1-C4, C6,
 * D1, D3): the hop-by-hop headers of RFC 9110 §7.6.1, every header named in {@code Connection},
 * and on requests the headers a client could use to lie about where the request came from.
 *
 * <p>{@code X-Forwarded-For} is deliberately kept on requests: {@link ClientIpResolver} reads it
 * (only from trusted proxies) and {@link ForwardedHeaders} then rewrites it. Resolve the client IP
 * from the original headers before stripping a copy. The gateway's own identity headers
 * ({@code X-User-Id}... D4) are route configuration and removed by the authentication filter.
 *
 * <p>Call on the header map that will be sent; the methods edit it in place.
 */
public final class HopByHopHeaders {

  private static final String CONNECTION = "connection";
  private static final String UPGRADE = "upgrade";

  /** Hop-by-hop in both directions (RFC 9110 §7.6.1, RFC 9113 §8.2.2, RFC 9112 §6.1). */
  private static final String[] HOP_BY_HOP = {
    CONNECTION, "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", UPGRADE,
    "http2-settings"
  };

  /** Only the gateway may say what the client's address, host, scheme, original URL or certificate was. */
  private static final String[] REQUEST_ONLY = {
    "proxy-authorization", "x-original-url", "x-rewrite-url", "x-real-ip", "x-forwarded-host",
    "x-forwarded-proto", "x-forwarded-port", "x-forwarded-prefix", "forwarded",
    // Only the mtls filter may say which certificate the client presented.
    "x-client-cert-subject", "x-client-cert-sha256"
  };

  private static final String[] RESPONSE_ONLY = {"proxy-authenticate"};

  private HopByHopHeaders() {}

  /** Strips a request about to be sent upstream. */
  public static void stripRequest(MultiMap headers) {
    strip(headers, REQUEST_ONLY, false);
  }

  /** Strips a response about to be sent to the client. */
  public static void stripResponse(MultiMap headers) {
    strip(headers, RESPONSE_ONLY, false);
  }

  /**
   * Strips a request for a WebSocket route: like {@link #stripRequest(MultiMap)}, but a WebSocket
   * handshake ({@link UpgradeKind#WEBSOCKET}) keeps exactly {@code Connection: Upgrade} and
   * {@code Upgrade: websocket}. Any other upgrade is stripped.
   */
  public static void stripWebSocketRequest(MultiMap headers) {
    strip(headers, REQUEST_ONLY, true);
  }

  /** Strips a response on a WebSocket route, keeping a websocket {@code 101} handshake. */
  public static void stripWebSocketResponse(MultiMap headers) {
    strip(headers, RESPONSE_ONLY, true);
  }

  private static void strip(MultiMap headers, String[] directionSpecific, boolean keepWebSocket) {
    requireNonNull(headers, "headers");
    // One pass over the (usually few) headers; removal, which hashes, only for names present.
    List<CharSequence> present = listedNames(headers, directionSpecific);
    if (present == null) {
      return;
    }
    boolean webSocket = keepWebSocket && RequestFramingCheck.upgradeOf(headers) == UpgradeKind.WEBSOCKET;
    if (headers.contains(CONNECTION)) {
      removeNamedInConnection(headers, headers.getAll(CONNECTION));
    }
    for (CharSequence name : present) {
      headers.remove(name);
    }
    if (webSocket) {
      headers.set("Connection", "Upgrade");
      headers.set("Upgrade", "websocket");
    }
  }

  /** The names present that are always removed, or null (no allocation) when there are none. */
  private static List<CharSequence> listedNames(MultiMap headers, String[] directionSpecific) {
    List<CharSequence> present = null;
    HttpHeaders netty = HeaderMaps.nettyView(headers);
    Iterator<? extends Map.Entry<? extends CharSequence, ?>> lines =
        netty != null ? netty.iteratorCharSequence() : headers.iterator();
    while (lines.hasNext()) {
      CharSequence name = lines.next().getKey();
      if (isListed(name, HOP_BY_HOP) || isListed(name, directionSpecific)) {
        if (present == null) {
          present = new ArrayList<>(4);
        }
        present.add(name);
      }
    }
    return present;
  }

  private static boolean isListed(CharSequence name, String[] lowerCaseNames) {
    for (String listed : lowerCaseNames) {
      if (listed.length() == name.length() && AsciiString.contentEqualsIgnoreCase(listed, name)) {
        return true;
      }
    }
    return false;
  }

  private static void removeNamedInConnection(MultiMap headers, List<String> connectionValues) {
    for (String value : connectionValues) {
      HeaderSyntax.forEachListElement(value, (list, start, end) -> {
        if (end > start && !isAlwaysRemovedOrAbsent(list, start, end)) {
          String name = list.substring(start, end);
          if (HeaderSyntax.isToken(name)) {
            headers.remove(name);
          }
        }
        return true;
      });
    }
  }

  /** The common options need no substring: they are removed anyway or never a header. */
  private static boolean isAlwaysRemovedOrAbsent(String value, int start, int end) {
    int length = end - start;
    return (length == 5 && value.regionMatches(true, start, "close", 0, 5))
        || (length == 10 && value.regionMatches(true, start, "keep-alive", 0, 10))
        || (length == 7 && value.regionMatches(true, start, UPGRADE, 0, 7));
  }
}
