package io.edgeway.admin;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.edgeway.runtime.GatewayRuntime;
import io.edgeway.runtime.RouteSnapshot;
import io.edgeway.testing.LogCapture;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every admin request gets an answer, encoded the way the shipped jar can encode it (the test
 * class path has jackson-databind, which encodes records; the jar has only jackson-core).
 */
class AdminServerTest {
  private Vertx vertx;
  private HttpClient client;

  private record Reply(int status, String contentType, Buffer body) {}

  /** A value jackson-databind would encode as an object and jackson-core cannot encode at all. */
  private record Port(int number) {}

  @BeforeEach
  void setUp() {
    vertx = TestVertx.create();
    client = vertx.createHttpClient();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Reply get(int port, String path) throws Exception {
    // 5 s: an admin endpoint that hangs fails here instead of hanging the build.
    return OnContext.await(vertx, () -> client.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.getHeader("Content-Type"), b))), 5);
  }

  private AdminServer admin() {
    return new AdminServer(vertx, new GatewayRuntime(RouteSnapshot.empty("test")));
  }

  private static void assertInternalError(Reply reply) {
    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.contentType()).isEqualTo("application/problem+json");
    JsonObject problem = reply.body().toJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(500);
    assertThat(problem.getString("code")).isEqualTo("internal_error");
    assertThat(problem.getString("title")).isEqualTo("Admin endpoint failed");
  }

  @Test
  void aHandlerThatThrowsAnswers500AndLogsTheExceptionAtError() throws Exception {
    AdminServer admin = admin();
    admin.register("/boom", req -> {
      throw new IllegalStateException("handler bug");
    });
    int port = admin.start("127.0.0.1", 0).await(5, TimeUnit.SECONDS);
    try (LogCapture log = LogCapture.of(AdminServer.class)) {
      assertInternalError(get(port, "/boom"));
      List<ILoggingEvent> errors = log.events();
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0).getLevel()).isEqualTo(Level.ERROR);
      assertThat(errors.get(0).getFormattedMessage()).isEqualTo("admin endpoint GET /boom failed");
      assertThat(errors.get(0).getThrowableProxy().getMessage()).isEqualTo("handler bug");
    }
    assertThat(get(port, "/health").status()).as("the server keeps answering").isEqualTo(200);
  }

  @Test
  void aFailedFutureAnswers500AndLogsTheCauseAtError() throws Exception {
    AdminServer admin = admin();
    admin.register("/fails", req -> Future.failedFuture(new IllegalStateException("store down")));
    int port = admin.start("127.0.0.1", 0).await(5, TimeUnit.SECONDS);
    try (LogCapture log = LogCapture.of(AdminServer.class)) {
      assertInternalError(get(port, "/fails"));
      assertThat(log.events()).singleElement().satisfies(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.ERROR);
        assertThat(e.getThrowableProxy().getMessage()).isEqualTo("store down");
      });
    }
  }

  @Test
  void aDocumentTheJarCannotEncodeAnswers500InsteadOfHanging() throws Exception {
    AdminServer admin = admin();
    admin.register("/record", req -> Future.succeededFuture(new JsonObject().put("port", new Port(9901))));
    int port = admin.start("127.0.0.1", 0).await(5, TimeUnit.SECONDS);
    try (LogCapture log = LogCapture.of(AdminServer.class)) {
      assertInternalError(get(port, "/record"));
      assertThat(log.events()).singleElement().extracting(ILoggingEvent::getLevel).isEqualTo(Level.ERROR);
    }
  }

  @Test
  void theRouteTableEncodesWithJacksonCoreAlone() throws Exception {
    TestUpstream upstream = TestUpstream.start(vertx);
    try (TestGateway g = TestGateway.start(vertx, """
        routes:
          - id: r
            match: { path: /r/**, methods: [GET], host: "*.example.com", headers: { X-V: "2" } }
            upstream: { targets: [ { url: "%s", weight: 3 } ] }
            filters:
              - request-headers: { set: { X-A: "1" } }
        """.formatted(upstream.url()))) {
      // What the jar does: Vert.x's jackson-core codec, without databind's bean and record support.
      String encoded = new JacksonCodec().toString(AdminServer.routes(g.gateway().runtime().snapshot()), false);
      JsonObject route = new JsonObject(encoded).getJsonArray("routes").getJsonObject(0);
      assertThat(route.getJsonObject("upstream").getJsonArray("targets").getJsonObject(0))
          .isEqualTo(new JsonObject().put("url", upstream.url()).put("weight", 3));

      Reply reply = get(g.adminPort(), "/routes");
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.contentType()).isEqualTo("application/json");
      assertThat(reply.body().toJsonObject().getJsonArray("routes").getJsonObject(0).getString("id")).isEqualTo("r");
    } finally {
      upstream.close();
    }
  }

  @Test
  void everyDocumentedEndpointOfAGatewayWithEveryFeatureAnswersJson(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    TestUpstream upstream = TestUpstream.start(vertx);
    try (TestGateway g = TestGateway.start(vertx, """
        events:
          journal: { dir: "%s" }
        cache: { max-size: 1MiB }
        jwt-providers:
          p: { issuer: test, algorithms: [HS256], secret: "0123456789abcdef0123456789abcdef" }
        routes:
          - id: r
            match: { path: /r/** }
            upstream:
              targets: [ { url: "%s" } ]
              outlier-detection: { consecutive-failures: 5 }
            filters:
              - rate-limit: { key: ip, limits: [ { capacity: 10, period: 1s } ] }
              - cache: { ttl: 10s }
              - circuit-breaker: { consecutive-failures: 5 }
              - retry: { attempts: 2 }
          - id: secured
            match: { path: /s/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - jwt: { providers: [p] }
        """.formatted(dir.resolve("journal"), upstream.url(), upstream.url()))) {
      for (String path : List.of("/health", "/ready", "/routes", "/circuit-breakers", "/upstreams", "/retries",
          "/ratelimit", "/cache/stats", "/jwt/providers", "/events/stats")) {
        Reply reply = get(g.adminPort(), path);
        assertThat(reply.status()).as(path).isEqualTo(200);
        assertThat(reply.contentType()).as(path).isEqualTo("application/json");
        assertThat(reply.body().toJsonObject()).as(path).isNotEmpty();
      }
      int purge = OnContext.await(vertx, () -> client.request(HttpMethod.POST, g.adminPort(), "127.0.0.1",
          "/cache/purge?all=true").compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode())), 5);
      assertThat(purge).isEqualTo(200);
    } finally {
      upstream.close();
    }
  }
}
