package io.edgeway.server;

import static io.edgeway.server.IntegrityFixture.assertProblem;
import static io.edgeway.server.IntegrityFixture.uniquePath;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.RawClient;
import io.edgeway.testing.RawHttp.RawResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, cases 4 and 8: bodies that stall or never start, and slow uploads. A stalled body is
 * answered with 408 {@code request_body_timeout} at the body-idle timeout (1 s here), and the
 * upstream connection that carried the request is closed by then too (within body-idle + 2 s),
 * not at the route's response timeout (30 s) nor at the keep-alive idle timeout (30 s). Upload
 * time does not count toward the response timeout; a separate request-body timeout bounds it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestIntegrityStallTest {
  /** Body-idle timeout + 2 s: when the gateway must have answered and closed the upstream connection. */
  private static final Duration STALL_DEADLINE = IntegrityFixture.BODY_IDLE.plusSeconds(2);

  private static IntegrityFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = IntegrityFixture.start("""
        routes:
          - id: r1
            match: { path: /r1/** }
            max-body-size: 1MiB
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 30s } }
          - id: quick
            match: { path: /quick/** }
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 1s } }
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  @DisplayName("chunked body stalled after one chunk: 408, upstream connection closed at body-idle")
  void chunkedStalledAfterOneChunk() throws Exception {
    assertStalled("stall-chunked", "Transfer-Encoding: chunked", "5\r\nhello\r\n");
  }

  @Test
  @DisplayName("Content-Length body stalled after half: 408, upstream connection closed at body-idle")
  void contentLengthStalledAfterHalf() throws Exception {
    assertStalled("stall-cl", "Content-Length: 10", "hello");
  }

  @Test
  @DisplayName("body that never starts (Content-Length: 10, nothing): 408 at body-idle, not at idle-timeout")
  void bodyThatNeverStarts() throws Exception {
    assertStalled("stall-none", "Content-Length: 10", "");
  }

  private void assertStalled(String name, String framingHeader, String bodyPart) throws Exception {
    String path = uniquePath("/r1", name);
    long stalledAt;
    try (RawClient client = fx.client()) {
      client.write("POST " + path + " HTTP/1.1\r\nHost: a\r\n" + framingHeader + "\r\n\r\n" + bodyPart);
      stalledAt = System.nanoTime();
      long deadline = stalledAt + STALL_DEADLINE.toNanos();
      RawResponse r = client.readResponse(STALL_DEADLINE.plusSeconds(1));
      long answeredAfterMillis = (System.nanoTime() - stalledAt) / 1_000_000;
      assertProblem(r, 408, "request_body_timeout");
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(answeredAfterMillis).as("408 sent after the body-idle timeout, not before").isGreaterThanOrEqualTo(900);
      assertThat(client.awaitClosed(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())).plusMillis(500)))
          .as("client connection closed").isTrue();
    }
    Set<Integer> carrying = fx.assertUpstreamNeverCompleted(path, stalledAt + STALL_DEADLINE.toNanos());
    fx.assertFollowUpSucceeds("/r1", carrying);
  }

  @Test
  @DisplayName("upload time does not count toward the response timeout: 5 chunks over 2 s on a 1 s route -> 200")
  void uploadTimeIsNotResponseTime() throws Exception {
    String path = uniquePath("/quick", "slow-upload");
    try (RawClient client = fx.client()) {
      client.write("POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int i = 0; i < 5; i++) {
        Thread.sleep(400); // a slow client, within body-idle
        if (!client.tryWrite("3\r\nab" + i + "\r\n")) {
          break;
        }
      }
      client.tryWrite("0\r\n\r\n");
      RawResponse r = client.readResponse(Duration.ofSeconds(5));
      assertThat(r.status()).as("%s\n%s", r.raw(), r.body()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok");
    }
    var got = fx.upstream.awaitCompleteRequests(path, 1, Duration.ofSeconds(2));
    assertThat(got.get(0).body()).isEqualTo("ab0ab1ab2ab3ab4");
  }

  @Test
  @DisplayName("upstream.timeouts.request-body: 1s bounds a trickled upload: 408, upstream never sees the end")
  void requestBodyTimeoutBoundsSlowUploads() throws Exception {
    try (IntegrityFixture own = IntegrityFixture.start("""
        routes:
          - id: trickle
            match: { path: /trickle/** }
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 30s, request-body: 1s } }
        """)) {
      String path = uniquePath("/trickle", "upload");
      long started;
      try (RawClient client = own.client()) {
        client.write("POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
        started = System.nanoTime();
        // 3 s of trickling, never idle for longer than 300 ms (body-idle is 1 s).
        for (int i = 0; i < 10; i++) {
          if (!client.tryWrite("1\r\nz\r\n")) {
            break;
          }
          Thread.sleep(300);
        }
        RawResponse r = client.readResponse(Duration.ofSeconds(5));
        assertProblem(r, 408, "request_body_timeout");
        assertThat(client.awaitClosed(Duration.ofSeconds(3))).isTrue();
      }
      own.assertUpstreamNeverCompleted(path, started + Duration.ofSeconds(4).toNanos());
    }
  }
}
