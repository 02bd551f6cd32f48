package io.edgeway.server;

import static io.edgeway.server.IntegrityFixture.uniquePath;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.RawClient;
import io.edgeway.testing.RawHttp.RawResponse;
import io.edgeway.testing.RawUpstream.Connection;
import io.edgeway.testing.RawUpstream.Request;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14, case 6: a filter that replaces a body (the test plugin {@code test-replace-body}, which
 * only calls {@code request.body(Body.of(...))} / {@code response.body(Body.of(...))} as
 * docs/plugins.md shows). The upstream receives exactly the new request body with framing that
 * matches it, and the pooled upstream connection is not poisoned for the next request; the client
 * receives exactly the new response body with a matching Content-Length, and its keep-alive
 * connection serves the next request correctly.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestIntegrityBodyReplaceTest {
  private static final String LONG_REQUEST = "a much longer replacement request body";
  private static final String SHORT_REQUEST = "x";
  private static final String LONG_RESPONSE = "a much longer replacement response body";
  private static final String SHORT_RESPONSE = "k";

  private static IntegrityFixture fx;

  @BeforeAll
  static void start() throws Exception {
    // Response timeouts of 3 s: a body shorter than its declared length leaves the upstream waiting.
    fx = IntegrityFixture.start("""
        routes:
          - id: rq-long
            match: { path: /rq-long/** }
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 3s } }
            filters: [ { test-replace-body: { request-body: "%2$s" } } ]
          - id: rq-short
            match: { path: /rq-short/** }
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 3s } }
            filters: [ { test-replace-body: { request-body: "%3$s" } } ]
          - id: rs-long
            match: { path: /rs-long/** }
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 3s } }
            filters: [ { test-replace-body: { response-body: "%4$s" } } ]
          - id: rs-short
            match: { path: /rs-short/** }
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 3s } }
            filters: [ { test-replace-body: { response-body: "%5$s" } } ]
        """.replace("%2$s", LONG_REQUEST).replace("%3$s", SHORT_REQUEST).replace("%4$s", LONG_RESPONSE)
        .replace("%5$s", SHORT_RESPONSE));
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static Stream<Arguments> requestCases() {
    return Stream.of(
        Arguments.of("/rq-long", LONG_REQUEST, false),
        Arguments.of("/rq-long", LONG_REQUEST, true),
        Arguments.of("/rq-short", SHORT_REQUEST, false),
        Arguments.of("/rq-short", SHORT_REQUEST, true));
  }

  @ParameterizedTest(name = "{0}, client chunked: {2}")
  @MethodSource("requestCases")
  void requestBodyReplaced(String route, String replacement, boolean clientChunked) throws Exception {
    String first = uniquePath(route, "first");
    String second = uniquePath(route, "second");
    for (String path : List.of(first, second)) {
      try (RawClient client = fx.client()) {
        String body = clientChunked
            ? "Transfer-Encoding: chunked\r\n\r\n3\r\n!!!\r\n2\r\n!!\r\n0\r\n\r\n"
            : "Content-Length: 5\r\n\r\n!!!!!";
        client.write("POST " + path + " HTTP/1.1\r\nHost: a\r\n" + body);
        RawResponse r = client.readResponse(Duration.ofSeconds(5));
        assertThat(r.status()).as("%s: %s\n%s\nupstream: %s", path, r.raw(), r.body(), fx.upstream.describe())
            .isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");
      }
    }
    for (String path : List.of(first, second)) {
      Request got = fx.upstream.awaitCompleteRequests(path, 1, Duration.ofSeconds(2)).get(0);
      assertThat(got.method()).isEqualTo("POST");
      assertThat(got.target()).isEqualTo(path);
      assertThat(got.body()).as("body the upstream received for %s", path).isEqualTo(replacement);
      if (got.framing().equals("content-length")) {
        assertThat(got.header("Content-Length")).isEqualTo(String.valueOf(replacement.length()));
      } else {
        assertThat(got.framing()).as("framing of %s:\n%s", path, got.raw()).isEqualTo("chunked");
      }
      assertThat(got.headers("Content-Length").size() + got.headers("Transfer-Encoding").size())
          .as("exactly one framing header: %s", got.raw()).isEqualTo(1);
    }
    for (Connection c : fx.upstream.connections()) {
      if (c.carried(first + " ") || c.carried(second + " ")) {
        assertThat(c.parseError()).as("upstream connection #%d parsed cleanly: %s", c.id(), fx.upstream.describe())
            .isNull();
        assertThat(c.received()).doesNotContain("!!!");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/rs-long", "/rs-short"})
  void responseBodyReplaced(String route) throws Exception {
    String expected = route.equals("/rs-long") ? LONG_RESPONSE : SHORT_RESPONSE;
    try (RawClient client = fx.client()) {
      for (int i = 0; i < 2; i++) {
        String path = uniquePath(route, "response-" + i);
        client.write("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse r = client.readResponse(Duration.ofSeconds(5));
        assertThat(r.status()).as("request %d: %s\n%s", i, r.raw(), r.body()).isEqualTo(200);
        assertThat(r.header("content-length")).as("request %d: %s", i, r.raw())
            .isEqualTo(String.valueOf(expected.length()));
        assertThat(r.body()).isEqualTo(expected);
        assertThat(r.header("connection")).as("keep-alive kept; %s", r.raw()).isNotEqualToIgnoringCase("close");
        fx.upstream.awaitCompleteRequests(path, 1, Duration.ofSeconds(2));
      }
      // Nothing extra (the rest of a longer declared body) follows the second response.
      assertThat(client.readUntilClosed(Duration.ofMillis(300)).text()).isEmpty();
    }
  }
}
