package io.edgeway.server;

import static io.edgeway.server.IntegrityFixture.assertProblem;
import static io.edgeway.server.IntegrityFixture.uniquePath;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.RawClient;
import io.edgeway.testing.RawHttp.RawResponse;
import io.edgeway.testing.RawUpstream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, cases 2 and 3: a client that goes away mid-body, and bodies over the route's limit.
 * The upstream never sees the request end, the connection that carried it is closed (not pooled:
 * the next request arrives on another connection), and a declared body over the limit never
 * reaches the upstream at all.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestIntegrityAbortAndLimitTest {
  private static IntegrityFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = IntegrityFixture.start("""
        routes:
          - id: r1
            match: { path: /r1/** }
            max-body-size: 1MiB
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 30s } }
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  @DisplayName("client closes after 8,000 of a 16,384-byte chunk")
  void abortMidChunk() throws Exception {
    String path = uniquePath("/r1", "abort-chunked");
    try (RawClient client = fx.client()) {
      client.write("POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4000\r\n");
      client.write("a".repeat(8000));
      awaitForwardedBytes(path, 4000);
    }
    Set<Integer> carrying = fx.assertUpstreamNeverCompleted(path);
    fx.assertFollowUpSucceeds("/r1", carrying);
  }

  @Test
  @DisplayName("client closes after 8,000 of Content-Length 16,384")
  void abortMidContentLength() throws Exception {
    String path = uniquePath("/r1", "abort-cl");
    try (RawClient client = fx.client()) {
      client.write("POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: 16384\r\n\r\n");
      client.write("b".repeat(8000));
      awaitForwardedBytes(path, 4000);
    }
    Set<Integer> carrying = fx.assertUpstreamNeverCompleted(path);
    fx.assertFollowUpSucceeds("/r1", carrying);
  }

  @Test
  @DisplayName("client closes right after the headers of a Content-Length: 100 request")
  void abortAfterHeaders() throws Exception {
    String path = uniquePath("/r1", "abort-head");
    try (RawClient client = fx.client()) {
      client.write("POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n");
      RawUpstream.waitFor(Duration.ofSeconds(1), () -> !fx.upstream.connectionsCarrying(path).isEmpty());
    }
    Set<Integer> carrying = fx.assertUpstreamNeverCompleted(path);
    fx.assertFollowUpSucceeds("/r1", carrying);
  }

  @Test
  @DisplayName("chunked body of 2 MiB on a 1 MiB route: 413, upstream never sees the end")
  void chunkedBodyOverTheLimit() throws Exception {
    String path = uniquePath("/r1", "too-large-chunked");
    RawResponse r;
    try (RawClient client = fx.client()) {
      client.write("POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
      String chunk = "10000\r\n" + "c".repeat(0x10000) + "\r\n";
      for (int i = 0; i < 32 && client.tryWrite(chunk); i++) {
        // 32 x 64 KiB = 2 MiB, unless the gateway stopped reading
      }
      client.tryWrite("0\r\n\r\n");
      r = client.readResponse(Duration.ofSeconds(5));
      assertProblem(r, 413, "payload_too_large");
      assertThat(client.awaitClosed(Duration.ofSeconds(5))).as("client connection closed").isTrue();
    }
    Set<Integer> carrying = fx.assertUpstreamNeverCompleted(path);
    for (int id : carrying) {
      int received = fx.upstream.connection(id).received().length();
      assertThat(received).as("bytes forwarded past the 1 MiB limit").isLessThan(1024 * 1024 + 64 * 1024);
    }
    fx.assertFollowUpSucceeds("/r1", carrying);
  }

  @Test
  @DisplayName("Content-Length over the limit: 413 before the upstream is contacted")
  void declaredBodyOverTheLimit() throws Exception {
    String path = uniquePath("/r1", "too-large-cl");
    try (RawClient client = fx.client()) {
      client.write("POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: 2097152\r\n\r\n" + "d".repeat(1000));
      RawResponse r = client.readResponse(Duration.ofSeconds(5));
      assertProblem(r, 413, "payload_too_large");
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(RawUpstream.holdsFor(IntegrityFixture.QUIET, () -> fx.upstream.connectionsCarrying(path).isEmpty()))
        .as("no upstream connection carries %s; %s", path, fx.upstream.describe()).isTrue();
  }

  /** Lets the gateway forward part of the body before the client goes (not asserted: it may not stream yet). */
  private static void awaitForwardedBytes(String path, int bytes) {
    RawUpstream.waitFor(Duration.ofSeconds(2), () -> fx.upstream.connectionsCarrying(path).stream()
        .anyMatch(c -> c.received().length() - c.received().indexOf(path) > bytes));
  }
}
