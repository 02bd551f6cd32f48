package io.edgeway.server;

import static io.edgeway.server.IntegrityFixture.uniquePath;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.RawClient;
import io.edgeway.testing.RawClient.Received;
import io.edgeway.testing.RawHttp.RawResponse;
import io.edgeway.testing.RawUpstream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, case 7: {@code Expect: 100-continue}. A request that will be forwarded gets
 * {@code 100 Continue}, then its body goes upstream whole; a request a filter rejects gets the
 * final status with no {@code 100 Continue} before it, and the upstream receives nothing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestIntegrityExpectContinueTest {
  private static IntegrityFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = IntegrityFixture.start("""
        routes:
          - id: r1
            match: { path: /r1/** }
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 30s } }
          - id: limited
            match: { path: /limited/** }
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 30s } }
            filters:
              - rate-limit: { key: header:X-Key, limits: [ { capacity: 1, period: 1h } ] }
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  @DisplayName("100 Continue, then the body, then 200; the upstream got the whole body")
  void continueThenBody() throws Exception {
    String path = uniquePath("/r1", "expect");
    try (RawClient client = fx.client()) {
      client.write("POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
      RawResponse interim = client.readResponse(Duration.ofSeconds(3));
      assertThat(interim.status()).as("interim response: %s", interim.raw()).isEqualTo(100);
      client.write("hello world");
      RawResponse r = client.readResponse(Duration.ofSeconds(5));
      assertThat(r.status()).as("%s\n%s", r.raw(), r.body()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok");
    }
    RawUpstream.Request got = fx.upstream.awaitCompleteRequests(path, 1, Duration.ofSeconds(2)).get(0);
    assertThat(got.body()).isEqualTo("hello world");
    assertThat(got.header("Expect")).as("Expect is hop-by-hop for the gateway").isNull();
  }

  @Test
  @DisplayName("a filter rejects (429): no 100 Continue, exactly one response, upstream receives nothing")
  void rejectedByAFilterWithoutContinue() throws Exception {
    String key = "k-" + System.nanoTime();
    String allowed = uniquePath("/limited", "allowed");
    try (RawClient client = fx.client()) {
      client.write("GET " + allowed + " HTTP/1.1\r\nHost: a\r\nX-Key: " + key + "\r\n\r\n");
      assertThat(client.readResponse(Duration.ofSeconds(5)).status()).isEqualTo(200);
    }
    String rejected = uniquePath("/limited", "rejected");
    try (RawClient client = fx.client()) {
      client.write("POST " + rejected + " HTTP/1.1\r\nHost: a\r\nX-Key: " + key
          + "\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
      // The client sends no body: whatever comes is the gateway's whole answer.
      Received got = client.readUntilClosed(Duration.ofSeconds(3));
      assertThat(got.text()).as("no 100 Continue before the final status").doesNotContain("100 Continue");
      assertThat(got.statuses()).as("responses:\n%s", got.text()).containsExactly(429);
      assertThat(got.text()).containsIgnoringCase("content-type: application/problem+json");
    }
    assertThat(RawUpstream.holdsFor(IntegrityFixture.QUIET, () -> fx.upstream.connectionsCarrying(rejected).isEmpty()))
        .as("the upstream receives nothing of %s; %s", rejected, fx.upstream.describe()).isTrue();
  }

  @Test
  @DisplayName("a filter rejects (429) and the client sends its body anyway: one response, then the close")
  void rejectedByAFilterClientSendsBodyAnyway() throws Exception {
    String key = "k-" + System.nanoTime();
    String allowed = uniquePath("/limited", "allowed");
    try (RawClient client = fx.client()) {
      client.write("GET " + allowed + " HTTP/1.1\r\nHost: a\r\nX-Key: " + key + "\r\n\r\n");
      assertThat(client.readResponse(Duration.ofSeconds(5)).status()).isEqualTo(200);
    }
    String rejected = uniquePath("/limited", "rejected-body");
    try (RawClient client = fx.client()) {
      client.write("POST " + rejected + " HTTP/1.1\r\nHost: a\r\nX-Key: " + key
          + "\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
      RawResponse first = client.readResponse(Duration.ofSeconds(3));
      assertThat(first.status()).as("the final status comes first: %s", first.raw()).isEqualTo(429);
      assertThat(first.header("connection")).as("the unread body makes the connection unusable: %s", first.raw())
          .isEqualTo("close");
      // A client that does not wait (RFC 9110 10.1.1 allows it) sends the body after all.
      client.tryWrite("hello world");
      Received rest = client.readUntilClosed(Duration.ofSeconds(3));
      assertThat(rest.statuses()).as("nothing after the 429:\n%s", rest.text()).isEmpty();
      assertThat(rest.closed()).isTrue();
    }
    assertThat(RawUpstream.holdsFor(IntegrityFixture.QUIET, () -> fx.upstream.connectionsCarrying(rejected).isEmpty()))
        .isTrue();
  }
}
