package io.edgeway.server;

import static io.edgeway.server.IntegrityFixture.assertProblem;
import static io.edgeway.server.IntegrityFixture.uniquePath;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.RawClient;
import io.edgeway.testing.RawHttp.RawResponse;
import io.edgeway.testing.RawUpstream;
import io.edgeway.testing.RawUpstream.Request;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Body.read(maxBytes)} through a real gateway: the test plugin {@code test-read-body} reads
 * the request body with a limit and replaces it with {@code Body.of(bytes)}. The raw upstream
 * shows what was sent: the exact bytes with a matching Content-Length, or nothing at all when the
 * read failed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BodyReadEndToEndTest {
  private static IntegrityFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = IntegrityFixture.start("""
        routes:
          - id: read
            match: { path: /read/** }
            upstream: { targets: [ { url: %1$s } ] }
            filters: [ { test-read-body: { max-bytes: 16 } } ]
          - id: read-small-route
            match: { path: /small/** }
            max-body-size: 8B
            upstream: { targets: [ { url: %1$s } ] }
            filters: [ { test-read-body: { max-bytes: 1024 } } ]
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  @DisplayName("a Content-Length body at the limit reaches the upstream exactly, with its Content-Length")
  void contentLengthBodyRead() throws Exception {
    String path = uniquePath("/read", "cl");
    RawResponse r = send("POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: 16\r\n\r\n0123456789abcdef");
    assertThat(r.status()).as("%s\n%s\nupstream: %s", r.raw(), r.body(), fx.upstream.describe()).isEqualTo(200);
    Request got = fx.upstream.awaitCompleteRequests(path, 1, Duration.ofSeconds(5)).get(0);
    assertThat(got.body()).isEqualTo("0123456789abcdef");
    assertThat(got.framing()).isEqualTo("content-length");
    assertThat(got.headers("Content-Length")).containsExactly("16");
    assertThat(got.headers("Transfer-Encoding")).isEmpty();
    assertThat(got.header("X-Read-Bytes")).isEqualTo("16");
  }

  @Test
  @DisplayName("a chunked body, read and replaced, reaches the upstream with a Content-Length instead")
  void chunkedBodyRead() throws Exception {
    String path = uniquePath("/read", "chunked");
    RawResponse r = send("POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nhello\r\n6\r\n, body\r\n0\r\n\r\n");
    assertThat(r.status()).as("%s\n%s\nupstream: %s", r.raw(), r.body(), fx.upstream.describe()).isEqualTo(200);
    Request got = fx.upstream.awaitCompleteRequests(path, 1, Duration.ofSeconds(5)).get(0);
    assertThat(got.body()).isEqualTo("hello, body");
    assertThat(got.framing()).as("framing of:\n%s", got.raw()).isEqualTo("content-length");
    assertThat(got.headers("Content-Length")).containsExactly("11");
    assertThat(got.headers("Transfer-Encoding")).isEmpty();
    assertThat(got.raw()).endsWith("\r\n\r\nhello, body");
  }

  @Test
  @DisplayName("a declared length over the read limit: 413 at once, the upstream receives nothing")
  void declaredLengthOverLimit() throws Exception {
    String path = uniquePath("/read", "cl-over");
    RawResponse r = send("POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n0123456789abcdefg");
    assertProblem(r, 413, "payload_too_large");
    assertThat(r.body()).contains("limit of 16 bytes");
    assertUpstreamReceivedNothing(path);
  }

  @Test
  @DisplayName("a chunked body passing the read limit while streaming: 413, the upstream receives nothing")
  void chunkedOverLimit() throws Exception {
    String path = uniquePath("/read", "chunked-over");
    RawResponse r = send("POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "a\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n");
    assertProblem(r, 413, "payload_too_large");
    assertThat(r.body()).contains("limit of 16 bytes");
    assertUpstreamReceivedNothing(path);
  }

  @Test
  @DisplayName("a chunked body broken mid-way: 400, the upstream receives nothing")
  void brokenChunkedBody() throws Exception {
    String path = uniquePath("/read", "broken");
    try (RawClient client = fx.client()) {
      client.write("POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
      client.write("ZZ\r\n");
      RawResponse r = client.readResponse(Duration.ofSeconds(5));
      assertProblem(r, 400, "client_body_error");
      assertThat(client.awaitClosed(Duration.ofSeconds(5))).as("connection closed after a broken body").isTrue();
    }
    assertUpstreamReceivedNothing(path);
  }

  @Test
  @DisplayName("the route's body limit, smaller than the read limit, fails the read with the route's 413")
  void routeLimitFailsTheRead() throws Exception {
    String path = uniquePath("/small", "route-limit");
    RawResponse r = send("POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "6\r\n012345\r\n6\r\n678901\r\n0\r\n\r\n");
    assertProblem(r, 413, "payload_too_large");
    assertThat(r.body()).contains("route's limit");
    assertUpstreamReceivedNothing(path);
  }

  private static RawResponse send(String request) throws Exception {
    try (RawClient client = fx.client()) {
      client.write(request);
      return client.readResponse(Duration.ofSeconds(5));
    }
  }

  // The filter answers without calling the chain, so nothing can be on its way upstream; the quiet
  // period only guards against a regression that would call it anyway.
  private static void assertUpstreamReceivedNothing(String path) {
    assertThat(RawUpstream.holdsFor(IntegrityFixture.QUIET, () -> fx.upstream.connectionsCarrying(path).isEmpty()))
        .as("upstream saw nothing of %s: %s", path, fx.upstream.describe()).isTrue();
  }
}
