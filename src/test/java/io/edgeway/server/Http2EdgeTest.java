package io.edgeway.server;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.OnContext;
import io.edgeway.testing.RawClient;
import io.edgeway.testing.RawHttp.RawResponse;
import io.edgeway.testing.RawUpstream;
import io.edgeway.testing.RawUpstream.Request;
import io.edgeway.testing.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/2 clients (h2c with prior knowledge) through the same door as HTTP/1.1 ones, to an
 * HTTP/1.1 upstream that records what it receives byte for byte.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2EdgeTest {
  private static Vertx vertx;
  private static RawUpstream upstream;
  private static TestGateway gateway;
  private static HttpClient h2;

  record Reply(int status, MultiMap headers, String body, HttpVersion version, HttpConnection connection) {}

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    upstream = RawUpstream.start();
    gateway = TestGateway.start(vertx, """
        server:
          host: 127.0.0.1
          port: 0
          instances: 1
          limits: { body-idle-timeout: 1s, max-body-size: 64KiB }
          http2: { enabled: true }
        admin: { host: 127.0.0.1, port: 0 }
        routes:
          - id: r
            match: { path: /r/** }
            upstream: { targets: [ { url: %s } ] }
        """.formatted(upstream.url()));
    h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static Reply call(RequestOptions options, Buffer body) throws Exception {
    return OnContext.await(vertx, () -> h2.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b.toString(),
            resp.version(), resp.request().connection()))), 10);
  }

  @Test
  @DisplayName("h2c GET reaches an HTTP/1.1 upstream as a plain GET: Host from :authority, no body, no pseudo-headers")
  void getIsTranslatedForAnHttp1Upstream() throws Exception {
    Reply reply = call(new RequestOptions().setURI("/r/get?q=1").putHeader("x-a", "1"), null);
    assertThat(reply.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("ok");
    assertThat(reply.headers().contains("connection")).isFalse();
    Request seen = upstream.awaitCompleteRequests("/r/get", 1, Duration.ofSeconds(5)).get(0);
    assertThat(seen.version()).isEqualTo("HTTP/1.1");
    assertThat(seen.target()).isEqualTo("/r/get?q=1");
    assertThat(seen.header("Host")).isEqualTo("127.0.0.1:" + upstream.port());
    assertThat(seen.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + gateway.port());
    assertThat(seen.framing()).isEqualTo("none");
    assertThat(seen.header("Transfer-Encoding")).isNull();
    assertThat(seen.headers().stream().filter(h -> h.name().startsWith(":"))).isEmpty();
    assertThat(seen.header("x-a")).isEqualTo("1");
  }

  @Test
  @DisplayName("h2c POST without content-length streams to the HTTP/1.1 upstream chunked, byte-exact")
  void bodyWithoutLengthIsChunkedUpstream() throws Exception {
    String big = "0123456789abcdef".repeat(2048); // 32 KiB: several DATA frames
    OnContext.await(vertx, () -> h2.request(HttpMethod.POST, "/r/post").compose(req -> {
      req.setChunked(true);
      req.write("hello ");
      return req.end(big).compose(v -> req.response()).compose(resp -> resp.body());
    }), 10);
    Request seen = upstream.awaitCompleteRequests("/r/post", 1, Duration.ofSeconds(5)).get(0);
    assertThat(seen.framing()).isEqualTo("chunked");
    assertThat(seen.body()).isEqualTo("hello " + big);
  }

  @Test
  @DisplayName("a refusal on HTTP/2 (404, 413) answers its stream and the connection goes on serving")
  void refusalEndsTheStreamNotTheConnection() throws Exception {
    Reply notFound = call(new RequestOptions().setURI("/nowhere"), null);
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.headers().get("content-type")).isEqualTo("application/problem+json");
    assertThat(notFound.headers().contains("connection")).isFalse();
    Reply tooLarge = call(new RequestOptions().setMethod(HttpMethod.POST).setURI("/r/too-large"),
        Buffer.buffer("x".repeat(70 * 1024)));
    assertThat(tooLarge.status()).isEqualTo(413);
    Reply after = call(new RequestOptions().setURI("/r/after"), null);
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.connection()).as("same HTTP/2 connection").isSameAs(notFound.connection());
    assertThat(upstream.completeRequests("/r/too-large")).isEmpty();
  }

  @Test
  @DisplayName("an HTTP/2 body cut off by RST_STREAM resets the upstream request: never completed upstream")
  void clientResetResetsTheUpstreamRequest() throws Exception {
    Promise<HttpClientRequest> sent = Promise.promise();
    OnContext.await(vertx, () -> h2.request(HttpMethod.POST, "/r/reset").compose(req -> {
      req.setChunked(true);
      return req.write("partial-body-marker").map(v -> {
        sent.complete(req);
        return null;
      });
    }), 10);
    RawUpstream.Connection carried = upstream.awaitConnectionCarrying("partial-body-marker", Duration.ofSeconds(5));
    OnContext.await(vertx, () -> sent.future().compose(req -> req.reset(8)), 5);
    RawUpstream.Connection closed = upstream.awaitConnectionClosed(carried.id(), Duration.ofSeconds(5));
    assertThat(closed.requests()).as("no complete request upstream")
        .noneMatch(r -> r.path().equals("/r/reset"));
    assertThat(closed.partialHead()).contains("/r/reset");
    assertThat(closed.received().substring(closed.received().indexOf("/r/reset"))).doesNotContain("\r\n0\r\n\r\n");
  }

  @Test
  @DisplayName("Upgrade: h2c stays refused with HTTP/2 on: the connection closes unserved, nothing forwarded")
  void h2cUpgradeIsRefused() throws Exception {
    try (RawClient client = RawClient.connect(gateway.port())) {
      client.write("GET /r/upgrade HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
      RawClient.Received received = client.readUntilClosed(Duration.ofSeconds(5));
      // Vert.x writes its 101 (and SETTINGS) before any gateway code runs; the gateway then closes
      // the connection before the upgraded request is dispatched or answered.
      assertThat(received.closed()).isTrue();
      assertThat(received.text()).doesNotContain("ok");
    }
    assertThat(RawUpstream.holdsFor(Duration.ofMillis(300), () -> upstream.completeRequests("/r/upgrade").isEmpty()))
        .isTrue();
  }

  @Test
  @DisplayName("HTTP/1.1 still works on the same listener, and its refusals still close")
  void http1StillServed() throws Exception {
    try (RawClient client = RawClient.connect(gateway.port())) {
      client.write("GET /r/h1 HTTP/1.1\r\nHost: a\r\n\r\n");
      RawResponse ok = client.readResponse(Duration.ofSeconds(5));
      assertThat(ok.status()).isEqualTo(200);
    }
  }
}
