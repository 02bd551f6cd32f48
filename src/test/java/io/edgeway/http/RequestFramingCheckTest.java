package io.edgeway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestFramingCheckTest {

  private final RequestFramingCheck check = new RequestFramingCheck(EdgeLimits.DEFAULTS);

  private static MultiMap headers(String... nameValuePairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      headers.add(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return headers;
  }

  private EdgeRejection http11(String method, String uri, String... nameValuePairs) {
    return check.check(HttpVersion.HTTP_1_1, method, uri, headers(nameValuePairs));
  }

  private EdgeRejection post(String... extraHeaders) {
    String[] all = new String[extraHeaders.length + 2];
    all[0] = "Host";
    all[1] = "api.example";
    System.arraycopy(extraHeaders, 0, all, 2, extraHeaders.length);
    return http11("POST", "/api/users", all);
  }

  @Test
  @DisplayName("a plain request passes")
  void plainRequestPasses() {
    assertThat(http11("GET", "/api/users?x=1", "Host", "api.example", "Accept", "*/*")).isNull();
    assertThat(post("Content-Length", "5")).isNull();
    assertThat(post("Transfer-Encoding", "chunked")).isNull();
    assertThat(post("Transfer-Encoding", "Chunked")).isNull();
    assertThat(post("Transfer-Encoding", " chunked ")).isNull();
  }

  @Test
  @DisplayName("A1 Content-Length with Transfer-Encoding, either order: 400 + close")
  void a1ClPlusTe() {
    assertThat(post("Content-Length", "6", "Transfer-Encoding", "chunked"))
        .isSameAs(RequestFramingCheck.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
    assertThat(post("Transfer-Encoding", "chunked", "Content-Length", "6"))
        .isSameAs(RequestFramingCheck.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
    assertThat(RequestFramingCheck.CONTENT_LENGTH_WITH_TRANSFER_ENCODING.status()).isEqualTo(400);
  }

  @Test
  @DisplayName("A2 two different Content-Length: 400 + close")
  void a2TwoContentLengths() {
    EdgeRejection r = post("Content-Length", "5", "Content-Length", "6");
    assertThat(r).isSameAs(RequestFramingCheck.MULTIPLE_CONTENT_LENGTH);
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  @DisplayName("A3 two identical Content-Length, or a comma list: 400")
  void a3DuplicateContentLength() {
    assertThat(post("Content-Length", "5", "Content-Length", "5")).isSameAs(RequestFramingCheck.MULTIPLE_CONTENT_LENGTH);
    assertThat(post("Content-Length", "5, 5")).isSameAs(RequestFramingCheck.MULTIPLE_CONTENT_LENGTH);
    assertThat(post("Content-Length", "5,5")).isSameAs(RequestFramingCheck.MULTIPLE_CONTENT_LENGTH);
  }

  @ParameterizedTest(name = "A4 Content-Length [{0}]: 400 + close")
  @ValueSource(strings = {"+5", "-1", "0x10", "18446744073709551616", "9223372036854775808", "", " ", "5 ", "1e3", "５"})
  void a4InvalidContentLength(String value) {
    EdgeRejection r = post("Content-Length", value);
    assertThat(r).isSameAs(RequestFramingCheck.INVALID_CONTENT_LENGTH);
  }

  @Test
  @DisplayName("A4 the largest long and leading zeros are still lengths")
  void a4BoundaryContentLength() {
    assertThat(post("Content-Length", "9223372036854775807")).isNull();
    assertThat(post("Content-Length", "0")).isNull();
    assertThat(post("Content-Length", "007")).isNull();
  }

  @ParameterizedTest(name = "A5/A7/A8 Transfer-Encoding [{0}]: 400")
  @ValueSource(strings = {"chunked, gzip", "chunked, xchunked", "chunked, chunked", "gzip, chunked, chunked",
      "chunked,", ",chunked", "", " ", "chunked,,"})
  void a5a7a8ChunkedNotAloneAndFinal(String value) {
    EdgeRejection r = post("Transfer-Encoding", value);
    assertThat(r).isSameAs(RequestFramingCheck.INVALID_TRANSFER_ENCODING);
    assertThat(r.status()).isEqualTo(400);
  }

  @ParameterizedTest(name = "A6 Transfer-Encoding [{0}]: 501 + close")
  @ValueSource(strings = {"xchunked", "gzip", "gzip, chunked", "identity", "chunked;x=1", "chunkedx"})
  void a6UnknownCoding(String value) {
    EdgeRejection r = post("Transfer-Encoding", value);
    assertThat(r).isSameAs(RequestFramingCheck.UNSUPPORTED_TRANSFER_ENCODING);
    assertThat(r.status()).isEqualTo(501);
    assertThat(r.code()).isEqualTo("unsupported_transfer_encoding");
  }

  @Test
  @DisplayName("A7/A8 Transfer-Encoding split over lines or sent twice: 400")
  void a7a8TransferEncodingOverSeveralLines() {
    assertThat(post("Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked"))
        .isSameAs(RequestFramingCheck.INVALID_TRANSFER_ENCODING);
    assertThat(post("Transfer-Encoding", "gzip", "Transfer-Encoding", "chunked"))
        .isSameAs(RequestFramingCheck.INVALID_TRANSFER_ENCODING);
    assertThat(post("Transfer-Encoding", "chunked", "Transfer-Encoding", "xchunked"))
        .isSameAs(RequestFramingCheck.INVALID_TRANSFER_ENCODING);
  }

  @Test
  @DisplayName("A22 Transfer-Encoding in HTTP/1.0: 400 + close")
  void a22TransferEncodingInHttp10() {
    EdgeRejection r = check.check(HttpVersion.HTTP_1_0, "POST", "/a", headers("Transfer-Encoding", "chunked"));
    assertThat(r).isSameAs(RequestFramingCheck.TRANSFER_ENCODING_IN_HTTP_1_0);
  }

  @Test
  @DisplayName("A12 header names that are not tokens: 400")
  void a12InvalidHeaderNames() {
    for (String name : new String[] {"Fo@o", "Foo Bar", "Foo\u0000", "", "F\u00e9e", "Foo:", "(x)", "a\tb"}) {
      assertThat(post(name, "x")).as("name [%s]", name).isSameAs(RequestFramingCheck.INVALID_HEADER_NAME);
    }
    assertThat(post("X-Fine_Name.v1!#$%&'*+^`|~", "x")).isNull();
  }

  @Test
  @DisplayName("A13 CR, LF, NUL or other controls in a header value: 400; HTAB and obs-text pass")
  void a13InvalidHeaderValues() {
    for (String value : new String[] {"a\rb", "a\nb", "a\r\nX-Injected: 1", "a\u0000b", "\u0001", "a\u007f"}) {
      assertThat(post("X-Foo", value)).as("value %s", value).isSameAs(RequestFramingCheck.INVALID_HEADER_VALUE);
    }
    assertThat(post("X-Foo", "a\tb")).isNull();
    assertThat(post("X-Foo", "caf\u00e9")).isNull();
  }

  @ParameterizedTest(name = "A17 method [{0}]: 400 invalid_method")
  @ValueSource(strings = {"get", "Get", "G(T", "GE T", "", "-GET", "GET-", "G\u00c9T", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG"})
  void a17InvalidMethod(String method) {
    EdgeRejection r = http11(method, "/", "Host", "a");
    assertThat(r).isSameAs(RequestFramingCheck.INVALID_METHOD);
    assertThat(r.code()).isEqualTo("invalid_method");
  }

  @ParameterizedTest(name = "A17 method {0} is a valid token")
  @ValueSource(strings = {"GET", "POST", "PATCH", "PROPFIND", "VERSION-CONTROL", "PURGE"})
  void a17ValidMethods(String method) {
    assertThat(http11(method, "/", "Host", "a")).isNull();
  }

  @Test
  @DisplayName("A18 an unrecognised version: 505; HTTP/1.0 and HTTP/2 pass")
  void a18Version() {
    assertThat(check.check(null, "GET", "/", headers("Host", "a"))).isSameAs(RequestFramingCheck.UNSUPPORTED_VERSION);
    assertThat(RequestFramingCheck.UNSUPPORTED_VERSION.status()).isEqualTo(505);
    assertThat(check.check(HttpVersion.HTTP_3, "GET", "/", headers("Host", "a")))
        .isSameAs(RequestFramingCheck.UNSUPPORTED_VERSION);
    assertThat(check.check(HttpVersion.HTTP_1_0, "GET", "/", headers())).isNull();
    assertThat(check.check(HttpVersion.HTTP_2, "GET", "/", headers())).isNull();
    assertThat(check.check(HttpVersion.HTTP_2, "GET", "/", headers(":method", "GET", ":path", "/", ":authority", "a")))
        .isNull();
    assertThat(check.check(HttpVersion.HTTP_1_1, "GET", "/", headers("Host", "a", ":path", "/")))
        .isSameAs(RequestFramingCheck.INVALID_HEADER_NAME);
  }

  @Test
  @DisplayName("A19 absolute-form accepted only when its authority equals Host")
  void a19AbsoluteForm() {
    assertThat(http11("GET", "http://evil.example/admin", "Host", "a")).isSameAs(RequestFramingCheck.HOST_MISMATCH);
    assertThat(http11("GET", "http://a.example:8080/admin", "Host", "a.example")).isSameAs(RequestFramingCheck.HOST_MISMATCH);
    assertThat(http11("GET", "http://a.example/admin", "Host", "a.example")).isNull();
    assertThat(http11("GET", "HTTPS://A.example/admin?x", "Host", "a.EXAMPLE")).isNull();
    assertThat(http11("GET", "http://a.example", "Host", "a.example")).isNull();
    assertThat(http11("GET", "http://a.example?q", "Host", "a.example")).isNull();
    assertThat(check.check(HttpVersion.HTTP_1_0, "GET", "http://a.example/", headers()))
        .isSameAs(RequestFramingCheck.HOST_MISMATCH);
  }

  @Test
  @DisplayName("A19 absolute-form with userinfo, empty authority or another scheme: 400")
  void a19MalformedAbsoluteForm() {
    assertThat(http11("GET", "http://user@a/x", "Host", "a")).isSameAs(RequestFramingCheck.INVALID_TARGET);
    assertThat(http11("GET", "http:///x", "Host", "a")).isSameAs(RequestFramingCheck.INVALID_TARGET);
    assertThat(http11("GET", "ftp://a/x", "Host", "a")).isSameAs(RequestFramingCheck.INVALID_TARGET);
    assertThat(http11("CONNECT", "a:443", "Host", "a:443")).isSameAs(RequestFramingCheck.INVALID_TARGET);
    assertThat(http11("GET", "", "Host", "a")).isSameAs(RequestFramingCheck.INVALID_TARGET);
  }

  @Test
  @DisplayName("A20 HTTP/1.1 without Host, with two Host, or an invalid Host: 400")
  void a20Host() {
    assertThat(http11("GET", "/")).isSameAs(RequestFramingCheck.MISSING_HOST);
    assertThat(http11("GET", "/", "Host", "a", "Host", "b")).isSameAs(RequestFramingCheck.MULTIPLE_HOST);
    assertThat(http11("GET", "/", "Host", "a", "Host", "a")).isSameAs(RequestFramingCheck.MULTIPLE_HOST);
    assertThat(check.check(HttpVersion.HTTP_1_0, "GET", "/", headers("Host", "a", "Host", "b")))
        .isSameAs(RequestFramingCheck.MULTIPLE_HOST);
  }

  @ParameterizedTest(name = "A20 invalid Host [{0}]")
  @ValueSource(strings = {"", "a b", "a/b", "a@b", "a:", "a:99999", "a:65536", "a:123456", "a:8x", ":80", "[::1", "[1.2.3.4]",
      "[zz::1]", "[::1]x", "[::1]:", "a:80:80", "a,b", "a%41", "évil"})
  void a20InvalidHostValues(String host) {
    assertThat(http11("GET", "/", "Host", host)).isSameAs(RequestFramingCheck.INVALID_HOST);
  }

  @ParameterizedTest(name = "A20 valid Host [{0}]")
  @ValueSource(strings = {"a", "api.example.com", "API.Example.COM:443", "10.0.0.1", "10.0.0.1:8080", "[::1]", "[2001:db8::1]:65535",
      "my_host.internal", "a:0"})
  void a20ValidHostValues(String host) {
    assertThat(http11("GET", "/", "Host", host)).isNull();
  }

  @Test
  @DisplayName("A21 HTTP/1.0 without Host passes (the caller picks the default vhost)")
  void a21Http10WithoutHost() {
    assertThat(check.check(HttpVersion.HTTP_1_0, "GET", "/", headers())).isNull();
  }

  @Test
  @DisplayName("A23 '#' or SP or controls in the target: 400; '*' only with OPTIONS")
  void a23Target() {
    assertThat(http11("GET", "/a#frag", "Host", "a")).isSameAs(RequestFramingCheck.FRAGMENT_IN_TARGET);
    assertThat(http11("GET", "/a?x=#", "Host", "a")).isSameAs(RequestFramingCheck.FRAGMENT_IN_TARGET);
    assertThat(http11("GET", "/a b", "Host", "a")).isSameAs(RequestFramingCheck.INVALID_TARGET);
    assertThat(http11("GET", "/a\tb", "Host", "a")).isSameAs(RequestFramingCheck.INVALID_TARGET);
    assertThat(http11("GET", "/a\u0000", "Host", "a")).isSameAs(RequestFramingCheck.INVALID_TARGET);
    assertThat(http11("GET", "/caf\u00e9", "Host", "a")).isSameAs(RequestFramingCheck.INVALID_TARGET);
    assertThat(http11("GET", "*", "Host", "a")).isSameAs(RequestFramingCheck.ASTERISK_TARGET);
    assertThat(http11("OPTIONS", "*x", "Host", "a")).isSameAs(RequestFramingCheck.ASTERISK_TARGET);
    assertThat(http11("OPTIONS", "*", "Host", "a")).isNull();
  }

  @Test
  @DisplayName("A26 more header lines than the limit: 431 too_many_headers; repeated names count per line")
  void a26HeaderCount() {
    MultiMap many = headers("Host", "a");
    for (int i = 1; i < 100; i++) {
      many.add("X-Empty", "");
    }
    assertThat(check.check(HttpVersion.HTTP_1_1, "GET", "/", many)).isNull(); // exactly 100 lines
    many.add("X-Empty", "");
    EdgeRejection r = check.check(HttpVersion.HTTP_1_1, "GET", "/", many);
    assertThat(r).isSameAs(RequestFramingCheck.TOO_MANY_HEADERS);
    assertThat(r.status()).isEqualTo(431);
    assertThat(r.code()).isEqualTo("too_many_headers");

    RequestFramingCheck strict = new RequestFramingCheck(new EdgeLimits(2));
    assertThat(strict.check(HttpVersion.HTTP_1_1, "GET", "/", headers("Host", "a", "A", "1"))).isNull();
    assertThat(strict.check(HttpVersion.HTTP_1_1, "GET", "/", headers("Host", "a", "A", "1", "B", "2")))
        .isSameAs(RequestFramingCheck.TOO_MANY_HEADERS);
  }

  @Test
  @DisplayName("EdgeLimits validates its values")
  void edgeLimitsValidated() {
    assertThatThrownBy(() -> new EdgeLimits(0)).hasMessage("maxHeaderCount: 0 (expected: 1..10000)");
    assertThat(EdgeLimits.DEFAULTS.maxHeaderCount()).isEqualTo(100);
  }

  @Test
  @DisplayName("A32 Expect other than 100-continue: 417; 100-continue passes")
  void a32Expect() {
    assertThat(post("Expect", "100-continue", "Content-Length", "3")).isNull();
    assertThat(post("Expect", "100-Continue", "Content-Length", "3")).isNull();
    EdgeRejection r = post("Expect", "999-bogus");
    assertThat(r).isSameAs(RequestFramingCheck.EXPECTATION_FAILED);
    assertThat(r.status()).isEqualTo(417);
    assertThat(r.code()).isEqualTo("expectation_failed");
    assertThat(post("Expect", "100-continue", "Expect", "100-continue")).isSameAs(RequestFramingCheck.EXPECTATION_FAILED);
    assertThat(post("Expect", "")).isSameAs(RequestFramingCheck.EXPECTATION_FAILED);
  }

  @ParameterizedTest(name = "A33/C5 Connection: {0} -> 400")
  @ValueSource(strings = {"Content-Length", "content-length", "close, Transfer-Encoding", "Host", "keep-alive ,  authorization "})
  void a33c5ConnectionNamingFramingHeaders(String value) {
    EdgeRejection r = post("Connection", value, "Content-Length", "3");
    assertThat(r).isSameAs(RequestFramingCheck.INVALID_CONNECTION_HEADER);
  }

  @Test
  @DisplayName("A33/C5 the forbidden name in a second Connection line is found too")
  void a33SecondConnectionLine() {
    assertThat(post("Connection", "keep-alive", "Connection", "Content-Length"))
        .isSameAs(RequestFramingCheck.INVALID_CONNECTION_HEADER);
    assertThat(post("Connection", "keep-alive", "Connection", "X-Internal")).isNull();
    assertThat(post("Connection", "close, content-lengthx")).isNull();
  }

  @Test
  @DisplayName("A34 Upgrade: h2c or HTTP2-Settings: 400 (refused, never forwarded)")
  void a34H2c() {
    assertThat(http11("GET", "/", "Host", "a", "Connection", "Upgrade, HTTP2-Settings", "Upgrade", "h2c",
        "HTTP2-Settings", "AAMAAABkAAQAAP__")).isSameAs(RequestFramingCheck.H2C_UPGRADE);
    assertThat(http11("GET", "/", "Host", "a", "Upgrade", "H2C")).isSameAs(RequestFramingCheck.H2C_UPGRADE);
    assertThat(http11("GET", "/", "Host", "a", "Upgrade", "websocket, h2c")).isSameAs(RequestFramingCheck.H2C_UPGRADE);
    assertThat(http11("GET", "/", "Host", "a", "HTTP2-Settings", "x")).isSameAs(RequestFramingCheck.H2C_UPGRADE);
  }

  @Test
  @DisplayName("A34 upgrades other than websocket are reported as not a websocket upgrade")
  void a34UpgradeKind() {
    assertThat(RequestFramingCheck.upgradeOf(headers())).isEqualTo(UpgradeKind.NONE);
    assertThat(RequestFramingCheck.upgradeOf(headers("Connection", "keep-alive, Upgrade", "Upgrade", "WebSocket")))
        .isEqualTo(UpgradeKind.WEBSOCKET);
    assertThat(RequestFramingCheck.upgradeOf(headers("Upgrade", "websocket"))).isEqualTo(UpgradeKind.OTHER);
    assertThat(RequestFramingCheck.upgradeOf(headers("Connection", "Upgrade", "Upgrade", "h2c"))).isEqualTo(UpgradeKind.OTHER);
    assertThat(RequestFramingCheck.upgradeOf(headers("Connection", "Upgrade", "Upgrade", "websocket, foo")))
        .isEqualTo(UpgradeKind.OTHER);
    assertThat(RequestFramingCheck.upgradeOf(headers("Connection", "Upgrade", "Upgrade", "websocket", "Upgrade", "x")))
        .isEqualTo(UpgradeKind.OTHER);
    // A websocket upgrade passes the framing check; the route decides.
    assertThat(http11("GET", "/ws", "Host", "a", "Connection", "Upgrade", "Upgrade", "websocket")).isNull();
  }

  @Test
  @DisplayName("D5 headers with '_' are dropped, all lines of them, and nothing else")
  void d5UnderscoreHeadersDropped() {
    MultiMap h = headers("X-User-Id", "alice", "X_User_Id", "admin", "x_user_id", "root", "Accept", "*/*");
    assertThat(RequestFramingCheck.dropUnderscoreHeaders(h)).isEqualTo(2);
    assertThat(h.names()).containsExactlyInAnyOrder("X-User-Id", "Accept");
    assertThat(h.get("X-User-Id")).isEqualTo("alice");
    assertThat(RequestFramingCheck.dropUnderscoreHeaders(h)).isZero();
    // The framing check does not refuse them; dropping is the documented choice.
    assertThat(post("X_User_Id", "admin")).isNull();
  }

  @Test
  @DisplayName("D6 two Authorization headers: 400 ambiguous_credentials")
  void d6TwoAuthorizationHeaders() {
    EdgeRejection r = post("Authorization", "Bearer a", "authorization", "Bearer b");
    assertThat(r).isSameAs(RequestFramingCheck.AMBIGUOUS_CREDENTIALS);
    assertThat(r.code()).isEqualTo("ambiguous_credentials");
    assertThat(post("Authorization", "Bearer a")).isNull();
  }

  @Test
  @DisplayName("HTTP/2: Host optional, connection-specific headers refused (RFC 9113 §8.2.2)")
  void http2Rules() {
    assertThat(check.check(HttpVersion.HTTP_2, "GET", "/", headers())).isNull();
    assertThat(check.check(HttpVersion.HTTP_2, "GET", "/", headers(":method", "GET", ":path", "/", ":authority", "a")))
        .isNull();
    assertThat(check.check(HttpVersion.HTTP_1_1, "GET", "/", headers("Host", "a", ":path", "/")))
        .isSameAs(RequestFramingCheck.INVALID_HEADER_NAME);
    for (String name : new String[] {"Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade"}) {
      assertThat(check.check(HttpVersion.HTTP_2, "POST", "/", headers(name, "chunked")))
          .as(name).isSameAs(RequestFramingCheck.CONNECTION_SPECIFIC_HEADER);
    }
    assertThat(check.check(HttpVersion.HTTP_2, "GET", "/", headers("Host", "a", "Host", "b")))
        .isSameAs(RequestFramingCheck.MULTIPLE_HOST);
  }

  @Test
  @DisplayName("every framing rejection is a preallocated constant with a stable snake_case code")
  void rejectionsAreWellFormed() throws IllegalAccessException {
    for (var field : RequestFramingCheck.class.getFields()) {
      if (field.getType() == EdgeRejection.class) {
        EdgeRejection r = (EdgeRejection) field.get(null);
        assertThat(r.code()).as(field.getName()).matches("[a-z0-9_]+");
        assertThat(r.title()).as(field.getName()).isNotBlank();
      }
    }
  }
}
