package io.edgeway.server;

import static io.edgeway.server.IntegrityFixture.uniquePath;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.RawClient;
import io.edgeway.testing.RawHttp.RawResponse;
import io.edgeway.testing.RawUpstream.Request;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14 controls: good requests arrive byte-exact and connections are reused on both sides, so
 * the failure cases of the family mean what they say.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestIntegrityGoodPathTest {
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
  @DisplayName("chunked POST, then Content-Length POST on one client connection: byte-exact, both connections reused")
  void goodBodiesArriveExactlyAndConnectionsAreReused() throws Exception {
    String chunkedPath = uniquePath("/r1", "good-chunked");
    String clPath = uniquePath("/r1", "good-cl");
    String big = "0123456789abcdef".repeat(4096); // 64 KiB, streamed rather than buffered
    try (RawClient client = fx.client()) {
      client.write("POST " + chunkedPath + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n");
      client.write("1;ext=1\r\n \r\n" + Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\nX-T: 1\r\n\r\n");
      RawResponse first = client.readResponse(Duration.ofSeconds(5));
      assertThat(first.status()).as("%s\n%s", first.raw(), first.body()).isEqualTo(200);
      assertThat(first.closed()).isFalse();
      client.write("POST " + clPath + " HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world");
      RawResponse second = client.readResponse(Duration.ofSeconds(5));
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.body()).isEqualTo("ok");
      assertThat(client.readUntilClosed(Duration.ofMillis(200)).closed()).as("client keep-alive").isFalse();
    }
    Request chunked = fx.upstream.awaitCompleteRequests(chunkedPath, 1, Duration.ofSeconds(2)).get(0);
    Request cl = fx.upstream.awaitCompleteRequests(clPath, 1, Duration.ofSeconds(2)).get(0);
    assertThat(chunked.body()).isEqualTo("hello " + big);
    assertThat(chunked.framing()).isIn("chunked", "content-length");
    assertThat(cl.framing()).isEqualTo("content-length");
    assertThat(cl.header("Content-Length")).isEqualTo("11");
    assertThat(cl.body()).isEqualTo("hello world");
    assertThat(cl.connectionId()).as("the upstream connection went back to the pool and was reused")
        .isEqualTo(chunked.connectionId());
    assertThat(fx.upstream.connection(cl.connectionId()).parseError()).isNull();
  }
}
