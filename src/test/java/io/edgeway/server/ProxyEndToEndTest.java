package io.edgeway.server;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End to end through a running gateway with real upstream servers on loopback. */
class ProxyEndToEndTest {
  private Vertx vertx;
  private TestUpstream upstream;
  private TestGateway gateway;
  private HttpClient client;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void startGateway(String routes) throws Exception {
    gateway = TestGateway.start(vertx, routes);
    client = gateway.client(vertx);
  }

  private record Reply(int status, io.vertx.core.MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  private Reply call(HttpMethod method, String uri, Buffer body, String... headers) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(uri);
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    return OnContext.await(vertx, () -> client.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b))), 20);
  }

  private Reply get(String uri, String... headers) throws Exception {
    return call(HttpMethod.GET, uri, null, headers);
  }

  @Test
  void proxiesWithStripPrefixForwardedHeadersRequestIdAndHeaderFilters() throws Exception {
    startGateway("""
        routes:
          - id: users
            match: { path: /api/users/**, methods: [GET] }
            strip-prefix: 1
            upstream: { targets: [ { url: %s } ] }
            filters:
              - request-headers: { set: { X-From-Gateway: "1" }, remove: [X-Debug] }
              - response-headers: { add: { X-Served-By: edgeway } }
        """.formatted(upstream.url()));

    Reply reply = get("/api/users/42?x=1", "X-Debug", "secret", "X-Forwarded-For", "6.6.6.6");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers().get("X-Served-By")).isEqualTo("edgeway");
    String requestId = reply.headers().get("X-Request-Id");
    assertThat(requestId).isNotBlank();
    TestUpstream.Received seen = upstream.last();
    assertThat(seen.uri()).isEqualTo("/users/42?x=1");
    assertThat(seen.headers().get("X-From-Gateway")).isEqualTo("1");
    assertThat(seen.headers().contains("X-Debug")).isFalse();
    assertThat(seen.headers().get("X-Request-Id")).isEqualTo(requestId);
    assertThat(seen.headers().get("X-Forwarded-For")).isEqualTo("127.0.0.1");
    assertThat(seen.headers().get("X-Forwarded-Proto")).isEqualTo("http");
    assertThat(seen.headers().get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    assertThat(seen.headers().get("Host")).isEqualTo("127.0.0.1:" + upstream.port());
  }

  @Test
  void keepsWellFormedRequestIdAndTraceId() throws Exception {
    startGateway(route("/a/**"));
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    Reply reply = get("/a/b", "X-Request-Id", "client-id-123", "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
    assertThat(reply.headers().get("X-Request-Id")).isEqualTo("client-id-123");
    assertThat(upstream.last().headers().get("traceparent")).startsWith("00-" + traceId + "-")
        .doesNotContain("00f067aa0ba902b7");
  }

  @Test
  void unknownPathIs404ProblemJsonAndWrongMethodIs405WithAllow() throws Exception {
    startGateway("""
        routes:
          - id: users
            match: { path: "/users/{id}", methods: [GET, PUT] }
            upstream: { targets: [ { url: %s } ] }
        """.formatted(upstream.url()));

    Reply notFound = get("/nothing");
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(notFound.json().getString("code")).isEqualTo("no_route");
    assertThat(notFound.json().getString("requestId")).isEqualTo(notFound.headers().get("X-Request-Id"));

    Reply notAllowed = call(HttpMethod.DELETE, "/users/7", null);
    assertThat(notAllowed.status()).isEqualTo(405);
    assertThat(notAllowed.headers().get("Allow")).isEqualTo("GET, PUT");
    assertThat(notAllowed.json().getString("code")).isEqualTo("method_not_allowed");
    assertThat(upstream.count()).isZero();
  }

  @Test
  void unreachableUpstreamIs502AndSlowUpstreamIs504() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    upstream.respondWith(req -> vertx.setTimer(3000, id -> req.response().end("late")));
    startGateway("""
        routes:
          - id: down
            match: { path: /down/** }
            upstream: { targets: [ { url: "http://127.0.0.1:%d" } ], timeouts: { connect: 1s } }
          - id: slow
            match: { path: /slow/** }
            upstream: { targets: [ { url: %s } ], timeouts: { response: 300ms } }
        """.formatted(closedPort, upstream.url()));

    Reply down = get("/down/x");
    assertThat(down.status()).isEqualTo(502);
    assertThat(down.json().getString("code")).isEqualTo("upstream_unreachable");
    assertThat(down.json().getString("route")).isEqualTo("down");

    Reply slow = get("/slow/x");
    assertThat(slow.status()).isEqualTo(504);
    assertThat(slow.json().getString("code")).isEqualTo("upstream_timeout");
  }

  @Test
  void streamsLargeUploadsAndDownloadsIntact() throws Exception {
    Buffer big = Buffer.buffer();
    for (int i = 0; i < 5 * 1024 * 1024 / 16; i++) {
      big.appendString(String.format("%015d\n", i));
    }
    upstream.respondWith(req -> req.response().putHeader("Content-Length", String.valueOf(big.length())).end(big));
    startGateway("""
        routes:
          - id: files
            match: { path: /files/** }
            max-body-size: 10MiB
            upstream: { targets: [ { url: %s } ] }
        """.formatted(upstream.url()));

    Reply upload = call(HttpMethod.POST, "/files/up", big);
    assertThat(upload.status()).isEqualTo(200);
    assertThat(upstream.last().body()).isEqualTo(big);
    assertThat(upload.body()).isEqualTo(big);
  }

  @Test
  void bodyOverTheRouteLimitIs413AndNeverReachesTheUpstream() throws Exception {
    startGateway("""
        routes:
          - id: small
            match: { path: /small/** }
            max-body-size: 1KiB
            upstream: { targets: [ { url: %s } ] }
        """.formatted(upstream.url()));

    Reply declared = call(HttpMethod.POST, "/small/x", Buffer.buffer(new byte[4096]));
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.json().getString("code")).isEqualTo("payload_too_large");

    // Chunked: the size is only known while streaming.
    int status = client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/small/y"))
        .compose(req -> {
          req.setChunked(true);
          for (int i = 0; i < 8; i++) {
            req.write(Buffer.buffer(new byte[512]));
          }
          req.end();
          return req.response();
        })
        .map(HttpClientResponse::statusCode)
        .await(20, TimeUnit.SECONDS);
    assertThat(status).isEqualTo(413);
    assertThat(upstream.received()).noneMatch(r -> r.body().length() > 1024);
  }

  @Test
  void saturatedPoolAnswers503Fast() throws Exception {
    upstream.respondWith(req -> vertx.setTimer(1500, id -> req.response().end("ok")));
    startGateway("""
        routes:
          - id: tiny
            match: { path: /tiny/** }
            upstream: { targets: [ { url: %s } ], pool: { max-connections: 1, max-wait-queue: 0 } }
        """.formatted(upstream.url()));

    List<Future<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(client.request(HttpMethod.GET, "/tiny/" + i).compose(HttpClientRequestSend::send)
          .map(HttpClientResponse::statusCode));
    }
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> f : calls) {
      statuses.add(f.await(20, TimeUnit.SECONDS));
    }
    assertThat(statuses).contains(200, 503);
  }

  @Test
  void corsPreflightIsAnsweredAtTheGateway() throws Exception {
    startGateway("""
        routes:
          - id: app
            match: { path: /app/**, methods: [GET, POST] }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - cors: { allow-origins: ["https://app.example.com"] }
        """.formatted(upstream.url()));

    Reply preflight = call(HttpMethod.OPTIONS, "/app/x", null, "Origin", "https://app.example.com",
        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "X-Token");
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.headers().get("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    assertThat(preflight.headers().get("Access-Control-Allow-Methods")).contains("POST");
    assertThat(preflight.headers().get("Access-Control-Allow-Headers")).isEqualTo("X-Token");

    Reply rejected = call(HttpMethod.OPTIONS, "/app/x", null, "Origin", "https://evil.example",
        "Access-Control-Request-Method", "POST");
    assertThat(rejected.status()).isEqualTo(403);

    Reply actual = get("/app/x", "Origin", "https://app.example.com");
    assertThat(actual.headers().get("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    assertThat(upstream.count()).isEqualTo(1);
  }

  @Test
  void roundRobinSpreadsOverWeightedTargets() throws Exception {
    try (TestUpstream second = TestUpstream.start(vertx)) {
      startGateway("""
          routes:
            - id: lb
              match: { path: /lb/** }
              upstream:
                targets: [ { url: %s }, { url: %s, weight: 2 } ]
          """.formatted(upstream.url(), second.url()));
      for (int i = 0; i < 30; i++) {
        assertThat(get("/lb/" + i).status()).isEqualTo(200);
      }
      assertThat(upstream.count()).isEqualTo(10);
      assertThat(second.count()).isEqualTo(20);
    }
  }

  private String route(String path) {
    return """
        routes:
          - id: r
            match: { path: %s }
            upstream: { targets: [ { url: %s } ] }
        """.formatted(path, upstream.url());
  }

  private interface HttpClientRequestSend {
    static Future<HttpClientResponse> send(io.vertx.core.http.HttpClientRequest req) {
      return req.send();
    }
  }
}
