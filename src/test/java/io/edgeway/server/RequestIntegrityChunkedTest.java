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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14, case 1: a chunked body that breaks after a good chunk. The client gets 400
 * problem+json and the close; the upstream, which may already have the request's head and first
 * chunk, never sees the request end (no terminating chunk) and its connection is closed, never
 * pooled again.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestIntegrityChunkedTest {
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

  /** What follows the good chunk {@code 5\r\nhello\r\n}; each then ends the body as a lenient parser would see it. */
  static Stream<Arguments> badChunks() {
    return Stream.of(
        Arguments.of("non-hex size ZZ", "ZZ\r\nA\r\n0\r\n\r\n"),
        Arguments.of("0x prefix", "0x1\r\nA\r\n0\r\n\r\n"),
        Arguments.of("18 hex digits", "FFFFFFFFFFFFFFFFFF\r\nA\r\n0\r\n\r\n"),
        Arguments.of("trailing space in size", "1 \r\nA\r\n0\r\n\r\n"),
        Arguments.of("bare CR in extension", "1;a=\rb\r\nA\r\n0\r\n\r\n"),
        Arguments.of("bare LF in extension", "1;a=\nb\r\nA\r\n0\r\n\r\n"),
        Arguments.of("data without CRLF", "5\r\nhelloXX\r\n0\r\n\r\n"),
        Arguments.of("negative size", "-1\r\nA\r\n0\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0}, one write")
  @MethodSource("badChunks")
  void brokenChunkInTheSameWrite(String name, String bad) throws Exception {
    String path = uniquePath("/r1", "chunk");
    try (RawClient client = fx.client()) {
      client.write(head(path) + "5\r\nhello\r\n" + bad);
      assertRejectedAndClosed(client);
    }
    Set<Integer> carrying = fx.assertUpstreamNeverCompleted(path);
    fx.assertFollowUpSucceeds("/r1", carrying);
  }

  @ParameterizedTest(name = "{0}, after the first chunk went upstream")
  @MethodSource("badChunks")
  void brokenChunkInALaterWrite(String name, String bad) throws Exception {
    String path = uniquePath("/r1", "chunk-later");
    try (RawClient client = fx.client()) {
      client.write(head(path) + "5\r\nhello\r\n");
      // Give the gateway time to start the upstream request (not asserted: a gateway may wait).
      RawUpstream.waitFor(Duration.ofSeconds(2), () -> fx.upstream.connectionsCarrying(path + " ").stream()
          .anyMatch(c -> c.received().indexOf("hello", c.received().indexOf(path)) >= 0));
      Thread.sleep(100); // spaces the two writes apart, so they are separate TCP segments
      client.write(bad);
      assertRejectedAndClosed(client);
    }
    Set<Integer> carrying = fx.assertUpstreamNeverCompleted(path);
    fx.assertFollowUpSucceeds("/r1", carrying);
  }

  private static String head(String path) {
    return "POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  }

  private static void assertRejectedAndClosed(RawClient client) throws Exception {
    RawResponse r = client.readResponse(Duration.ofSeconds(5));
    assertProblem(r, 400, null);
    assertThat(r.header("connection")).as("Connection header; %s", r.raw()).isEqualTo("close");
    assertThat(client.awaitClosed(Duration.ofSeconds(5))).as("the gateway closes the client connection").isTrue();
  }
}
