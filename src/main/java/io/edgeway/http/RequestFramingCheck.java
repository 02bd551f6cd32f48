package io.edgeway.http;

import static java.util.Objects.requireNonNull;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides, from what Vert.x parsed, whether a request may be served at all, before any routing
 * (security.md §2.A, C5, D5, D6). The bare Vert.x/Netty server accepts many requests that are
 * ambiguous between hops (CL+TE, odd codings, missing Host, lowercase methods...); every one of
 * them is refused here.
 *
 * <p>Decisions that are the caller's, documented so they are made once:
 *
 * <ul>
 *   <li>{@code Upgrade: h2c} or an {@code HTTP2-Settings} header is refused with 400 (A34) rather
 *       than stripped: a client that tries h2c smuggling gets nothing through. Any other upgrade
 *       is reported by {@link #upgradeOf(MultiMap)} and the caller decides per route (only
 *       WebSocket routes accept {@link UpgradeKind#WEBSOCKET}).
 *   <li>Header names containing {@code _} (D5) are not refused: the caller drops them with
 *       {@link #dropUnderscoreHeaders(MultiMap)} (Envoy's DROP_HEADER), so an upstream that folds
 *       {@code _} into {@code -} never sees {@code X_User_Id} next to the gateway's
 *       {@code X-User-Id}.
 *   <li>An absolute-form target is accepted only when its authority equals {@code Host} (A19);
 *       the caller then routes on Vert.x's {@code request.path()}, which is the origin-form path.
 *   <li>{@code OPTIONS *} passes; the caller answers it without routing.
 *   <li>HTTP/1.0 without {@code Host} passes (A21: the caller picks the default virtual host).
 *   <li>HTTP/2 requests get the same checks except that {@code Host} is optional (the authority
 *       travels in {@code :authority}) and every connection-specific header is refused (RFC 9113
 *       §8.2.2), including {@code Transfer-Encoding} and a {@code te} other than {@code trailers}.
 *       Netty and Vert.x refuse most of these, and pseudo-header misuse and an {@code :authority}
 *       that differs from {@code host}, with a stream reset before the gateway sees the request;
 *       this check is the same rule stated once more where the HTTP/1.1 rules are.
 * </ul>
 *
 * <p>The check walks the headers once and allocates nothing on the accepting path (Vert.x's
 * header iterator aside). Every rejection is a preallocated constant.
 */
public final class RequestFramingCheck {

  public static final EdgeRejection INVALID_METHOD =
      new EdgeRejection(400, "invalid_method", "Method is not an upper-case token");
  public static final EdgeRejection UNSUPPORTED_VERSION =
      new EdgeRejection(505, "http_version_not_supported", "HTTP version not supported");
  public static final EdgeRejection INVALID_TARGET =
      new EdgeRejection(400, "invalid_target", "Invalid request target");
  public static final EdgeRejection ASTERISK_TARGET =
      new EdgeRejection(400, "invalid_target", "Asterisk-form target is only allowed with OPTIONS");
  public static final EdgeRejection FRAGMENT_IN_TARGET =
      new EdgeRejection(400, "fragment", "Fragment in request target");
  public static final EdgeRejection HOST_MISMATCH =
      new EdgeRejection(400, "host_mismatch", "Absolute-form target authority differs from Host");
  public static final EdgeRejection TOO_MANY_HEADERS =
      new EdgeRejection(431, "too_many_headers", "Too many header fields");
  public static final EdgeRejection INVALID_HEADER_NAME =
      new EdgeRejection(400, "invalid_header_name", "Header name is not a token");
  public static final EdgeRejection INVALID_HEADER_VALUE =
      new EdgeRejection(400, "invalid_header_value", "Control character in header value");
  public static final EdgeRejection CONTENT_LENGTH_WITH_TRANSFER_ENCODING =
      new EdgeRejection(400, "ambiguous_framing", "Both Content-Length and Transfer-Encoding");
  public static final EdgeRejection MULTIPLE_CONTENT_LENGTH =
      new EdgeRejection(400, "multiple_content_length", "More than one Content-Length");
  public static final EdgeRejection INVALID_CONTENT_LENGTH =
      new EdgeRejection(400, "invalid_content_length", "Content-Length is not a decimal length");
  public static final EdgeRejection INVALID_TRANSFER_ENCODING =
      new EdgeRejection(400, "invalid_transfer_encoding", "Transfer-Encoding must be exactly one final chunked");
  public static final EdgeRejection UNSUPPORTED_TRANSFER_ENCODING =
      new EdgeRejection(501, "unsupported_transfer_encoding", "Transfer coding not supported");
  public static final EdgeRejection TRANSFER_ENCODING_IN_HTTP_1_0 =
      new EdgeRejection(400, "transfer_encoding_http_1_0", "Transfer-Encoding in an HTTP/1.0 request");
  public static final EdgeRejection MISSING_HOST = new EdgeRejection(400, "missing_host", "Missing Host header");
  public static final EdgeRejection MULTIPLE_HOST =
      new EdgeRejection(400, "multiple_host", "More than one Host header");
  public static final EdgeRejection INVALID_HOST = new EdgeRejection(400, "invalid_host", "Invalid Host header");
  public static final EdgeRejection INVALID_CONNECTION_HEADER =
      new EdgeRejection(400, "invalid_connection_header", "Connection names a header that frames or routes the request");
  public static final EdgeRejection H2C_UPGRADE =
      new EdgeRejection(400, "h2c_upgrade_rejected", "Upgrade to h2c is not accepted");
  public static final EdgeRejection CONNECTION_SPECIFIC_HEADER =
      new EdgeRejection(400, "connection_specific_header", "Connection-specific header in an HTTP/2 request");
  public static final EdgeRejection EXPECTATION_FAILED =
      new EdgeRejection(417, "expectation_failed", "Only Expect: 100-continue is supported");
  public static final EdgeRejection AMBIGUOUS_CREDENTIALS =
      new EdgeRejection(400, "ambiguous_credentials", "More than one Authorization header");

  private static final int MAX_METHOD_LENGTH = 32;
  private static final int MAX_HOST_LENGTH = 255 + 1 + 5;
  private static final String[] CONNECTION_FORBIDDEN_NAMES = {
    "content-length", "transfer-encoding", "host", "authorization"
  };
  private static final String[] H2C = {"h2c"};
  private static final String[] UPGRADE_TOKEN = {"upgrade"};

  private final EdgeLimits limits;

  public RequestFramingCheck(EdgeLimits limits) {
    this.limits = requireNonNull(limits, "limits");
  }

  /**
   * Checks one request.
   *
   * @param version the version Vert.x parsed, or null when it did not recognise it
   * @param rawMethod the method exactly as sent ({@code request.method().name()})
   * @param uri the request-target exactly as sent ({@code request.uri()})
   * @param headers the request headers as received
   * @return null when the request may be served, else the rejection to send
   */
  public EdgeRejection check(HttpVersion version, String rawMethod, String uri, MultiMap headers) {
    requireNonNull(rawMethod, "rawMethod");
    requireNonNull(uri, "uri");
    requireNonNull(headers, "headers");
    if (!isValidMethod(rawMethod)) {
      return INVALID_METHOD;
    }
    if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0 && version != HttpVersion.HTTP_2) {
      return UNSUPPORTED_VERSION;
    }
    boolean http2 = version == HttpVersion.HTTP_2;
    EdgeRejection targetProblem = checkTargetSyntax(rawMethod, uri);
    if (targetProblem != null) {
      return targetProblem;
    }

    int lines = 0;
    int contentLengthCount = 0;
    String contentLength = null;
    int transferEncodingCount = 0;
    String transferEncoding = null;
    int hostCount = 0;
    String host = null;
    int authorizationCount = 0;
    int expectCount = 0;
    String expect = null;
    int connectionCount = 0;
    String connection = null;
    int upgradeCount = 0;
    String upgrade = null;
    boolean http2Settings = false;
    boolean otherConnectionSpecific = false;
    int maxLines = limits.maxHeaderCount();
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      if (http2 && !name.isEmpty() && name.charAt(0) == ':') {
        continue; // a pseudo-header (if Vert.x exposes them); Netty's HTTP/2 codec validated it
      }
      if (++lines > maxLines) {
        return TOO_MANY_HEADERS;
      }
      String value = header.getValue();
      if (!HeaderSyntax.isToken(name)) {
        return INVALID_HEADER_NAME;
      }
      if (!HeaderSyntax.isValidFieldValue(value)) {
        return INVALID_HEADER_VALUE;
      }
      // Switch on length first so most names cost one comparison at most.
      switch (name.length()) {
        case 2:
          if (http2 && name.equalsIgnoreCase("te") && !value.trim().equalsIgnoreCase("trailers")) {
            otherConnectionSpecific = true; // RFC 9113 8.2.2: TE may only say "trailers"
          }
          break;
        case 4:
          if (name.equalsIgnoreCase("host")) {
            hostCount++;
            host = value;
          }
          break;
        case 6:
          if (name.equalsIgnoreCase("expect")) {
            expectCount++;
            expect = value;
          }
          break;
        case 7:
          if (name.equalsIgnoreCase("upgrade")) {
            upgradeCount++;
            upgrade = value;
          }
          break;
        case 10:
          if (name.equalsIgnoreCase("connection")) {
            connectionCount++;
            connection = value;
          } else if (name.equalsIgnoreCase("keep-alive")) {
            otherConnectionSpecific = true;
          }
          break;
        case 13:
          if (name.equalsIgnoreCase("authorization")) {
            authorizationCount++;
          }
          break;
        case 14:
          if (name.equalsIgnoreCase("content-length")) {
            contentLengthCount++;
            contentLength = value;
          } else if (name.equalsIgnoreCase("http2-settings")) {
            http2Settings = true;
          }
          break;
        case 16:
          if (name.equalsIgnoreCase("proxy-connection")) {
            otherConnectionSpecific = true;
          }
          break;
        case 17:
          if (name.equalsIgnoreCase("transfer-encoding")) {
            transferEncodingCount++;
            transferEncoding = value;
          }
          break;
        default:
          break;
      }
    }

    // Body framing (A1-A8, A22).
    if (contentLengthCount > 0 && transferEncodingCount > 0) {
      return CONTENT_LENGTH_WITH_TRANSFER_ENCODING;
    }
    if (contentLengthCount > 1) {
      return MULTIPLE_CONTENT_LENGTH;
    }
    if (contentLengthCount == 1) {
      EdgeRejection clProblem = checkContentLength(contentLength);
      if (clProblem != null) {
        return clProblem;
      }
    }
    if (transferEncodingCount > 0) {
      if (http2) {
        return CONNECTION_SPECIFIC_HEADER;
      }
      if (version == HttpVersion.HTTP_1_0) {
        return TRANSFER_ENCODING_IN_HTTP_1_0;
      }
      if (transferEncodingCount > 1) {
        return INVALID_TRANSFER_ENCODING;
      }
      EdgeRejection teProblem = checkTransferEncoding(transferEncoding);
      if (teProblem != null) {
        return teProblem;
      }
    }

    // Host and target authority (A19, A20).
    if (hostCount > 1) {
      return MULTIPLE_HOST;
    }
    if (hostCount == 0 && version == HttpVersion.HTTP_1_1) {
      return MISSING_HOST;
    }
    if (hostCount == 1 && !isValidHost(host)) {
      return INVALID_HOST;
    }
    if (uri.charAt(0) != '/' && uri.charAt(0) != '*' && !absoluteFormMatchesHost(uri, host)) {
      return HOST_MISMATCH;
    }

    // Hop-by-hop abuse (A33/C5, A34) and HTTP/2 connection-specific fields.
    if (http2 && (connectionCount > 0 || upgradeCount > 0 || otherConnectionSpecific || http2Settings)) {
      return CONNECTION_SPECIFIC_HEADER;
    }
    if (connectionCount > 0
        && anyLineListsAny(headers, "connection", connectionCount, connection, CONNECTION_FORBIDDEN_NAMES)) {
      return INVALID_CONNECTION_HEADER;
    }
    if (http2Settings || (upgradeCount > 0 && anyLineListsAny(headers, "upgrade", upgradeCount, upgrade, H2C))) {
      return H2C_UPGRADE;
    }

    if (authorizationCount > 1) {
      return AMBIGUOUS_CREDENTIALS;
    }
    if (expectCount > 1 || (expectCount == 1 && !expect.trim().equalsIgnoreCase("100-continue"))) {
      return EXPECTATION_FAILED;
    }
    return null;
  }

  /**
   * Classifies the {@code Upgrade} request header; the caller accepts {@link UpgradeKind#WEBSOCKET}
   * on WebSocket routes only and otherwise handles the request as plain HTTP/1.1 (after
   * {@link HopByHopHeaders#stripRequest(MultiMap)}) or refuses it.
   */
  public static UpgradeKind upgradeOf(MultiMap headers) {
    requireNonNull(headers, "headers");
    List<String> upgrades = headers.getAll("upgrade");
    if (upgrades.isEmpty()) {
      return UpgradeKind.NONE;
    }
    if (upgrades.size() == 1 && upgrades.get(0).trim().equalsIgnoreCase("websocket")) {
      for (String connection : headers.getAll("connection")) {
        if (HeaderSyntax.listContainsAny(connection, UPGRADE_TOKEN)) {
          return UpgradeKind.WEBSOCKET;
        }
      }
    }
    return UpgradeKind.OTHER;
  }

  /**
   * Removes every header whose name contains {@code _} (security.md D5): some upstreams treat
   * {@code _} and {@code -} alike, so {@code X_User_Id} could shadow an identity header the gateway
   * sets. Allocates only when there is something to drop.
   *
   * @return the number of header lines removed
   */
  public static int dropUnderscoreHeaders(MultiMap headers) {
    requireNonNull(headers, "headers");
    List<String> names = null;
    int lines = 0;
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      if (name.indexOf('_') >= 0) {
        if (names == null) {
          names = new ArrayList<>(2);
        }
        names.add(name);
        lines++;
      }
    }
    if (names != null) {
      for (String name : names) {
        headers.remove(name);
      }
    }
    return lines;
  }

  private static boolean anyLineListsAny(
      MultiMap headers, String name, int count, String onlyValue, String[] tokens) {
    if (count == 1) {
      return HeaderSyntax.listContainsAny(onlyValue, tokens);
    }
    for (String value : headers.getAll(name)) {
      if (HeaderSyntax.listContainsAny(value, tokens)) {
        return true;
      }
    }
    return false;
  }

  /** A17: methods are case-sensitive tokens; only upper-case letters and inner '-' are served. */
  static boolean isValidMethod(String method) {
    int n = method.length();
    if (n == 0 || n > MAX_METHOD_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = method.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c == '-' && i > 0 && i < n - 1);
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A23 and the form of the target: origin, absolute (http/https), or OPTIONS asterisk. */
  private static EdgeRejection checkTargetSyntax(String method, String uri) {
    int n = uri.length();
    if (n == 0) {
      return INVALID_TARGET;
    }
    for (int i = 0; i < n; i++) {
      char c = uri.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return INVALID_TARGET;
      }
      if (c == '#') {
        return FRAGMENT_IN_TARGET;
      }
    }
    char first = uri.charAt(0);
    if (first == '/') {
      return null;
    }
    if (first == '*') {
      return n == 1 && method.equals("OPTIONS") ? null : ASTERISK_TARGET;
    }
    int authorityStart = authorityStart(uri);
    if (authorityStart < 0) {
      return INVALID_TARGET; // authority-form (CONNECT) and other schemes are not served
    }
    int authorityEnd = authorityEnd(uri, authorityStart);
    if (authorityEnd == authorityStart || uri.lastIndexOf('@', authorityEnd - 1) >= authorityStart) {
      return INVALID_TARGET; // empty authority, or userinfo
    }
    return null;
  }

  private static int authorityStart(String uri) {
    if (uri.regionMatches(true, 0, "http://", 0, 7)) {
      return 7;
    }
    if (uri.regionMatches(true, 0, "https://", 0, 8)) {
      return 8;
    }
    return -1;
  }

  private static int authorityEnd(String uri, int from) {
    int n = uri.length();
    for (int i = from; i < n; i++) {
      char c = uri.charAt(i);
      if (c == '/' || c == '?') {
        return i;
      }
    }
    return n;
  }

  private static boolean absoluteFormMatchesHost(String uri, String host) {
    if (host == null) {
      return false;
    }
    int start = authorityStart(uri);
    int length = authorityEnd(uri, start) - start;
    return host.length() == length && uri.regionMatches(true, start, host, 0, length);
  }

  /** A2-A4: exactly 1*DIGIT that fits a long; a comma list counts as several values (A3). */
  private static EdgeRejection checkContentLength(String value) {
    int n = value.length();
    if (n == 0) {
      return INVALID_CONTENT_LENGTH;
    }
    long length = 0;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c == ',') {
        return MULTIPLE_CONTENT_LENGTH;
      }
      if (c < '0' || c > '9') {
        return INVALID_CONTENT_LENGTH;
      }
      int digit = c - '0';
      if (length > (Long.MAX_VALUE - digit) / 10) {
        return INVALID_CONTENT_LENGTH;
      }
      length = length * 10 + digit;
    }
    return null;
  }

  /**
   * A5-A8 for one Transfer-Encoding line: exactly {@code chunked} passes; {@code chunked} anywhere
   * else (not final, repeated) or an empty element is 400; any other coding is 501 since the
   * gateway decodes none.
   */
  private static EdgeRejection checkTransferEncoding(String value) {
    TransferCodings codings = new TransferCodings();
    HeaderSyntax.forEachListElement(value, codings);
    if (codings.empty) {
      return INVALID_TRANSFER_ENCODING;
    }
    if (codings.chunked == 1 && codings.chunkedLast && codings.elements == 1) {
      return null;
    }
    if (codings.chunked > 1 || (codings.chunked == 1 && !codings.chunkedLast)) {
      return INVALID_TRANSFER_ENCODING;
    }
    return UNSUPPORTED_TRANSFER_ENCODING;
  }

  /** Counts the codings of one Transfer-Encoding line; stops at an empty element. */
  private static final class TransferCodings implements HeaderSyntax.ListElement {
    int chunked;
    int elements;
    boolean chunkedLast;
    boolean empty;

    @Override
    public boolean accept(String list, int start, int end) {
      if (start == end) {
        empty = true;
        return false;
      }
      elements++;
      chunkedLast = end - start == 7 && list.regionMatches(true, start, "chunked", 0, 7);
      if (chunkedLast) {
        chunked++;
      }
      return true;
    }
  }

  /**
   * A20: {@code host[:port]} where host is a reg-name of letters, digits, '-', '.', '_', an IPv4
   * address, or a bracketed IPv6 literal; port is 1-5 digits up to 65535.
   */
  static boolean isValidHost(String value) {
    int n = value.length();
    if (n == 0 || n > MAX_HOST_LENGTH) {
      return false;
    }
    int hostEnd;
    if (value.charAt(0) == '[') {
      int close = value.indexOf(']');
      if (close < 0) {
        return false;
      }
      String literal = value.substring(1, close);
      if (literal.indexOf(':') < 0 || Cidr.parseAddressLiteral(literal) == null) {
        return false; // only IPv6 goes in brackets
      }
      hostEnd = close + 1;
    } else {
      hostEnd = 0;
      while (hostEnd < n && value.charAt(hostEnd) != ':') {
        char c = value.charAt(hostEnd);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '.' || c == '_';
        if (!ok) {
          return false;
        }
        hostEnd++;
      }
      if (hostEnd == 0) {
        return false;
      }
    }
    if (hostEnd == n) {
      return true;
    }
    if (value.charAt(hostEnd) != ':') {
      return false;
    }
    int digits = n - hostEnd - 1;
    if (digits < 1 || digits > 5) {
      return false;
    }
    int port = 0;
    for (int i = hostEnd + 1; i < n; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535;
  }
}
