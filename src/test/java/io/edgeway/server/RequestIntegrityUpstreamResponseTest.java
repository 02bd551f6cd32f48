package io.edgeway.server;

import static io.edgeway.server.IntegrityFixture.assertProblem;
import static io.edgeway.server.IntegrityFixture.uniquePath;

import io.edgeway.testing.RawClient;
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
 * Issue 14, case 9: an upstream answer the gateway cannot pass on is a 502
 * {@code upstream_bad_response}, not a 500.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestIntegrityUpstreamResponseTest {
  private static IntegrityFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = IntegrityFixture.start("""
        routes:
          - id: weird
            match: { path: /weird/** }
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 5s } }
          - id: upgrade
            match: { path: /upgrade/** }
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 5s } }
        """);
    fx.upstream.respondWith(r -> r.path().startsWith("/weird/")
        ? "HTTP/1.1 99999 Weird\r\nContent-Length: 0\r\n\r\n"
        : r.path().startsWith("/upgrade/")
            ? "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: foo\r\n\r\n"
            : RawUpstream.OK);
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  @DisplayName("upstream status line HTTP/1.1 99999 Weird -> 502 upstream_bad_response")
  void invalidStatusCode() throws Exception {
    try (RawClient client = fx.client()) {
      client.write("GET " + uniquePath("/weird", "status") + " HTTP/1.1\r\nHost: a\r\n\r\n");
      RawResponse r = client.readResponse(Duration.ofSeconds(8));
      assertProblem(r, 502, "upstream_bad_response");
    }
  }

  @Test
  @DisplayName("upstream 101 to a request that asked for no upgrade -> 502 upstream_bad_response")
  void unsolicitedSwitchingProtocols() throws Exception {
    try (RawClient client = fx.client()) {
      client.write("GET " + uniquePath("/upgrade", "unasked") + " HTTP/1.1\r\nHost: a\r\n\r\n");
      RawResponse r = client.readResponse(Duration.ofSeconds(8));
      assertProblem(r, 502, "upstream_bad_response");
    }
  }
}
