package io.edgeway.server;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.RawHttp;
import io.edgeway.testing.RawHttp.RawResponse;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hardened edge, asserted with raw sockets: what the client receives (status, close) and what
 * the upstream receives. Row ids refer to the catalogue in shared/reference/security.md §2.
 */
class HardenedEdgeTest {
  private static Vertx vertx;
  private static TestUpstream upstream;
  private static TestGateway gateway;
  // The upstream of the chunked-framing tests: their request may already be on its way upstream
  // when the framing breaks, and may arrive after the test ended; it must not count as another
  // test's request.
  private static TestUpstream chunkedSink;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
    chunkedSink = TestUpstream.start(vertx);
    gateway = TestGateway.start(vertx, """
        server:
          host: 127.0.0.1
          port: 0
          instances: 1
          limits: { max-request-line: 4KiB, max-header-size: 16KiB, max-header-count: 50, header-read-timeout: 1s,
                    idle-timeout: 2s }
        admin: { host: 127.0.0.1, port: 0 }
        routes:
          - id: api
            match: { path: /api/** }
            max-body-size: 1KiB
            upstream: { targets: [ { url: %1$s } ] }
          - id: admin
            match: { path: /admin/** }
            upstream: { targets: [ { url: %1$s } ] }
          - id: ws
            match: { path: /ws/** }
            websocket: true
            upstream: { targets: [ { url: %1$s } ] }
          - id: chunked
            match: { path: /chunked/** }
            upstream: { targets: [ { url: %2$s } ] }
        """.formatted(upstream.url(), chunkedSink.url()));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
    chunkedSink.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void clear() {
    upstream.received().clear();
  }

  private RawResponse send(String request) throws Exception {
    return RawHttp.send(gateway.port(), request);
  }

  private void assertRejected(RawResponse r, int status) {
    assertThat(r.status()).as(r.raw()).isEqualTo(status);
    assertThat(r.header("content-type")).isEqualTo("application/problem+json");
    assertThat(upstream.count()).as("upstream must not be called").isZero();
  }

  @Test
  @DisplayName("A1 Content-Length with Transfer-Encoding: 400 and close, nothing forwarded")
  void contentLengthPlusTransferEncoding() throws Exception {
    RawResponse r = send("POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG");
    assertRejected(r, 400);
    assertThat(r.closed()).isTrue();
  }

  @Test
  @DisplayName("A2 two different Content-Length: 400")
  void twoContentLengths() throws Exception {
    RawResponse r = send("POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
    assertRejected(r, 400);
    assertThat(r.closed()).isTrue();
  }

  @Test
  @DisplayName("A6 unknown transfer coding: 501 and close")
  void unknownTransferCoding() throws Exception {
    RawResponse r = send("POST /api/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n");
    assertThat(r.status()).as(r.raw()).isIn(400, 501);
    assertThat(r.closed()).isTrue();
    assertThat(upstream.count()).isZero();
  }

  @Test
  @DisplayName("A17 lower-case method is never routed as GET")
  void lowerCaseMethod() throws Exception {
    RawResponse r = send("get /api/x HTTP/1.1\r\nHost: a\r\n\r\n");
    assertThat(r.status()).as(r.raw()).isIn(400, 405, 501);
    assertThat(upstream.count()).isZero();
  }

  @Test
  @DisplayName("OPTIONS * is answered by the gateway (RFC 9110 9.3.7), never routed; * with another method is 400")
  void optionsAsteriskIsAnsweredByTheGateway() throws Exception {
    RawResponse r = send("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n");
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.header("allow")).isEqualTo("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    assertThat(r.header("content-length")).isEqualTo("0");
    assertThat(r.header("x-request-id")).isNotBlank();
    assertThat(r.closed()).as("the connection stays open").isFalse();
    assertRejected(send("GET * HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  }

  @Test
  @DisplayName("A20 HTTP/1.1 without Host, or with two Host headers: 400")
  void hostHeaderRules() throws Exception {
    assertRejected(send("GET /api/x HTTP/1.1\r\n\r\n"), 400);
    assertRejected(send("GET /api/x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
  }

  @Test
  @DisplayName("A24 request line over the limit: 414")
  void longRequestLine() throws Exception {
    RawResponse r = send("GET /api/" + "a".repeat(5000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
    assertThat(r.status()).isEqualTo(414);
    assertThat(r.header("content-type")).isEqualTo("application/problem+json");
    assertThat(upstream.count()).isZero();
  }

  @Test
  @DisplayName("A25/A26 header block too large or too many header lines: 431")
  void headerLimits() throws Exception {
    RawResponse big = send("GET /api/x HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
    assertThat(big.status()).isEqualTo(431);
    StringBuilder many = new StringBuilder("GET /api/x HTTP/1.1\r\nHost: a\r\n");
    for (int i = 0; i < 60; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    assertRejected(send(many.append("\r\n").toString()), 431);
  }

  @Test
  @DisplayName("A27 declared body over the route limit: 413 before reading it")
  void declaredBodyTooLarge() throws Exception {
    RawResponse r = send("POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n");
    assertRejected(r, 413);
    assertThat(r.closed()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0x1\r\nA\r\n0\r\n\r\n", "1_0\r\nAAAAAAAAAAAAAAAA\r\n0\r\n\r\n", "zz\r\nA\r\n0\r\n\r\n",
      "1\r\nAB\r\n0\r\n\r\n"})
  @DisplayName("A15 malformed chunk size or chunk data not followed by CRLF: 400 problem+json and close")
  void malformedChunkedFraming(String chunks) throws Exception {
    RawResponse r = send("POST /chunked/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks);
    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.header("content-type")).isEqualTo("application/problem+json");
    assertThat(r.header("connection")).isEqualTo("close");
    assertThat(r.closed()).isTrue();
  }

  @Test
  @DisplayName("A29 slowloris: headers not complete within header-read-timeout -> 408 problem+json, then closed")
  void slowHeadersAreCutOff() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /api/x HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      long start = System.nanoTime();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n").containsIgnoringCase("connection: close")
          .containsIgnoringCase("content-type: application/problem+json").contains("\"code\":\"request_header_timeout\"");
      assertThat(waitedMillis).isLessThan(9_000);
    }
    assertThat(upstream.count()).isZero();
  }

  @Test
  @DisplayName("A29 a keep-alive connection left idle after a response is closed without a 408")
  void idleKeepAliveIsClosedSilently() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /api/x HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      // Exactly one response: no 408 status line after it (ids in the body may contain "408").
      assertThat(answer).startsWith("HTTP/1.1 200").doesNotContain("HTTP/1.1 408");
      assertThat(answer.split("HTTP/1\\.1 ", -1)).hasSize(2);
    }
  }

  @Test
  @DisplayName("B1/B2 dot segments are resolved before routing: /api/../admin goes to the admin route")
  void dotSegmentsResolvedBeforeRouting() throws Exception {
    RawResponse r = send("GET /api/%2e%2e/admin/panel HTTP/1.1\r\nHost: a\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/admin/panel");
  }

  @Test
  @DisplayName("B4/B5/B10 encoded slash, NUL and matrix parameters: 400")
  void unsafePathsRejected() throws Exception {
    assertRejected(send("GET /api/..%2fadmin HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
    assertRejected(send("GET /api/x%00.css HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
    assertRejected(send("GET /api/users/..;/admin HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  }

  @Test
  @DisplayName("B7/B14 the upstream sees the one canonical path; reserved escapes stay encoded")
  void upstreamSeesCanonicalPath() throws Exception {
    RawResponse r = send("GET /api//users/%7Ejoe/a%3Fb?q=%2F HTTP/1.1\r\nHost: a\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/api/users/~joe/a%3Fb?q=%2F");
  }

  @Test
  @DisplayName("B12 prefixes are segment-aligned: /apiary does not match /api/**")
  void prefixIsSegmentAligned() throws Exception {
    assertRejected(send("GET /apiary HTTP/1.1\r\nHost: a\r\n\r\n"), 404);
  }

  @Test
  @DisplayName("C1/C2/C4 hop-by-hop headers and those named in Connection never reach the upstream")
  void hopByHopHeadersStripped() throws Exception {
    RawResponse r = send("GET /api/x HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Internal-Auth\r\n"
        + "X-Internal-Auth: secret\r\nKeep-Alive: 5\r\nTE: trailers\r\nProxy-Authorization: Basic Zm9v\r\n"
        + "Proxy-Connection: keep-alive\r\nUpgrade: h2c\r\n\r\n");
    assertThat(r.status()).as(r.raw()).isIn(200, 400);
    if (r.status() == 200) {
      var seen = upstream.last().headers();
      assertThat(seen.contains("X-Internal-Auth")).isFalse();
      assertThat(seen.contains("Keep-Alive")).isFalse();
      assertThat(seen.contains("TE")).isFalse();
      assertThat(seen.contains("Proxy-Authorization")).isFalse();
      assertThat(seen.contains("Proxy-Connection")).isFalse();
      assertThat(seen.contains("Upgrade")).isFalse();
    }
  }

  @Test
  @DisplayName("C5 Connection naming Content-Length: 400")
  void connectionNamingFramingHeader() throws Exception {
    assertRejected(send("GET /api/x HTTP/1.1\r\nHost: a\r\nConnection: Content-Length\r\n\r\n"), 400);
  }

  @Test
  @DisplayName("D1 X-Forwarded-For from an untrusted client is replaced by the socket peer")
  void spoofedForwardedForIgnored() throws Exception {
    RawResponse r = send("GET /api/x HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 6.6.6.6\r\nX-Real-IP: 6.6.6.6\r\n"
        + "Forwarded: for=6.6.6.6\r\nX-Forwarded-Host: evil.example\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    var seen = upstream.last().headers();
    assertThat(seen.get("X-Forwarded-For")).isEqualTo("127.0.0.1");
    assertThat(seen.contains("X-Real-IP")).isFalse();
    assertThat(seen.get("X-Forwarded-Host")).isEqualTo("a");
    assertThat(seen.get("Forwarded")).doesNotContain("6.6.6.6");
  }

  @Test
  @DisplayName("A31 pipelined requests are answered in order on one connection")
  void pipelinedRequests() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("GET /api/one HTTP/1.1\r\nHost: a\r\n\r\nGET /api/two HTTP/1.1\r\nHost: a\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      RawResponse first = RawHttp.read(socket.getInputStream());
      RawResponse second = RawHttp.read(socket.getInputStream());
      assertThat(first.status()).isEqualTo(200);
      assertThat(second.status()).isEqualTo(200);
      assertThat(first.body()).contains("/api/one");
      assertThat(second.body()).contains("/api/two");
    }
  }
}
