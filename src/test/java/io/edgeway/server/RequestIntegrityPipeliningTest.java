package io.edgeway.server;

import static io.edgeway.server.IntegrityFixture.uniquePath;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.RawClient;
import io.edgeway.testing.RawClient.Received;
import io.edgeway.testing.RawUpstream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14, case 5: once the gateway decided to close a client connection, nothing else from it
 * is parsed or dispatched. One TCP write carries a request the gateway rejects and, right behind
 * it, a well-formed {@code POST /r4/...}: the client gets exactly one response and the close; the
 * upstream never receives the pipelined request.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestIntegrityPipeliningTest {
  private static IntegrityFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = IntegrityFixture.start("""
        routes:
          - id: r1
            match: { path: /r1/** }
            max-body-size: 1MiB
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 30s } }
          - id: r4
            match: { path: /r4/** }
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 30s } }
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of("two Host headers", 400, "GET /r1/p HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        Arguments.of("lower-case method", 400, "get /r1/p HTTP/1.1\r\nHost: a\r\n\r\n"),
        Arguments.of("Upgrade: h2c", 400,
            "GET /r1/p HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"),
        Arguments.of("absolute-form host mismatch", 400, "GET http://evil.example/r1/p HTTP/1.1\r\nHost: a\r\n\r\n"),
        Arguments.of("%2F in the path", 400, "GET /r1/a%2Fb HTTP/1.1\r\nHost: a\r\n\r\n"),
        Arguments.of("Expect: bogus", 417, "GET /r1/p HTTP/1.1\r\nHost: a\r\nExpect: bogus\r\n\r\n"),
        Arguments.of("Content-Length and Transfer-Encoding", 400,
            "POST /r1/p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("Content-Length over the limit, no body", 413,
            "POST /r1/p HTTP/1.1\r\nHost: a\r\nContent-Length: 2097152\r\n\r\n"),
        Arguments.of("broken chunked body", 400,
            "POST /r1/p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0} -> {1}, pipelined request never dispatched")
  @MethodSource("rejected")
  void nothingAfterARejectedRequestIsDispatched(String name, int status, String rejectedRequest) throws Exception {
    assertOnlyTheRejectionIsAnswered(status, rejectedRequest);
  }

  @RepeatedTest(10)
  void percentEncodedSlashThenPipelinedRequestRepeatedly() throws Exception {
    assertOnlyTheRejectionIsAnswered(400, "GET /r1/a%2Fb HTTP/1.1\r\nHost: a\r\n\r\n");
  }

  private static void assertOnlyTheRejectionIsAnswered(int status, String rejectedRequest) throws Exception {
    String smuggled = uniquePath("/r4", "pipelined");
    Received got;
    try (RawClient client = fx.client()) {
      client.write(rejectedRequest + "POST " + smuggled + " HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
      got = client.readUntilClosed(Duration.ofSeconds(5));
    }
    assertThat(got.statuses()).as("status lines the client received:\n%s", got.text()).containsExactly(status);
    assertThat(got.closed()).as("the gateway closed the connection after its one response").isTrue();
    assertThat(RawUpstream.holdsFor(Duration.ofSeconds(1), () -> !fx.upstream.allReceived().contains(smuggled)))
        .as("the upstream never receives %s; %s", smuggled, fx.upstream.describe()).isTrue();
    assertThat(fx.upstream.completeRequests(smuggled)).isEmpty();
  }
}
