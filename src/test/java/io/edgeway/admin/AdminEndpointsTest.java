package io.edgeway.admin;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the admin endpoints say about a running gateway under traffic: the connection pools in
 * {@code GET /upstreams} (read on their own event loops) and the rate-limit store in
 * {@code GET /ratelimit}.
 */
class AdminEndpointsTest {
  private Vertx vertx;
  private HttpClient admin;
  private TestUpstream upstream;
  private TestGateway gateway;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    admin = vertx.createHttpClient();
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

  private JsonObject adminJson(String path) throws Exception {
    return OnContext.await(vertx, () -> admin.request(HttpMethod.GET, gateway.adminPort(), "127.0.0.1", path)
        .compose(req -> req.send()).compose(resp -> resp.body()).map(Buffer::toJsonObject), 5);
  }

  /** Polls {@code GET /upstreams} (bounded) until the pool of route {@code p}'s only target matches. */
  private JsonObject awaitPool(Predicate<JsonObject> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonObject pool;
    do {
      JsonObject route = adminJson("/upstreams").getJsonArray("upstreams").getJsonObject(0);
      pool = route.getJsonArray("targets").getJsonObject(0).getJsonObject("pool");
      if (condition.test(pool)) {
        return pool;
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("pool never matched; last: " + pool.encode());
  }

  @Test
  void upstreamsShowEachTargetsPoolInUseIdleAndWaiting() throws Exception {
    ConcurrentLinkedQueue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
    upstream.respondWith(held::add);
    gateway = TestGateway.start(vertx, """
        routes:
          - id: p
            match: { path: /p/** }
            upstream:
              targets: [ { url: "%s" } ]
              pool: { max-connections: 1, max-wait-queue: 4 }
        """.formatted(upstream.url()));
    JsonObject route = adminJson("/upstreams").getJsonArray("upstreams").getJsonObject(0);
    assertThat(route.getString("route")).isEqualTo("p");
    assertThat(route.getJsonObject("poolLimitsPerLoop"))
        .isEqualTo(new JsonObject().put("maxConnections", 1).put("maxWaitQueue", 4));
    assertThat(route.getJsonArray("targets").getJsonObject(0).getJsonObject("pool"))
        .as("no loop has used the upstream yet")
        .isEqualTo(new JsonObject().put("open", 0).put("inUse", 0).put("idle", 0).put("waiters", 0));

    // Two clients, one connection allowed: the first request holds it, the second waits for it.
    HttpClient clients = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(gateway.port()));
    Future<Integer> first = OnContext.run(vertx, () -> clients.request(HttpMethod.GET, "/p/1")
        .compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode())));
    Future<Integer> second = OnContext.run(vertx, () -> clients.request(HttpMethod.GET, "/p/2")
        .compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode())));
    JsonObject busy = awaitPool(pool -> pool.getInteger("waiters") == 1);
    assertThat(busy).isEqualTo(new JsonObject().put("open", 1).put("inUse", 1).put("idle", 0).put("waiters", 1));
    assertThat(route(adminJson("/upstreams")).getInteger("inFlight")).isEqualTo(2);

    // Answer both (the second arrives on the same connection once the first is answered).
    for (int answered = 0; answered < 2; ) {
      HttpServerRequest req = held.poll();
      if (req == null) {
        Thread.sleep(5);
        continue;
      }
      req.response().end("ok");
      answered++;
    }
    assertThat(first.await(5, TimeUnit.SECONDS)).isEqualTo(200);
    assertThat(second.await(5, TimeUnit.SECONDS)).isEqualTo(200);
    assertThat(awaitPool(pool -> pool.getInteger("idle") == 1))
        .isEqualTo(new JsonObject().put("open", 1).put("inUse", 0).put("idle", 1).put("waiters", 0));
  }

  private static JsonObject route(JsonObject upstreams) {
    return upstreams.getJsonArray("upstreams").getJsonObject(0).getJsonArray("targets").getJsonObject(0);
  }

  @Test
  void rateLimitShowsTheLocalStoreWhenNoRedisIsConfigured() throws Exception {
    gateway = TestGateway.start(vertx, """
        routes:
          - id: r
            match: { path: /r/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - rate-limit: { key: ip, limits: [ { capacity: 10, period: 1s } ] }
        """.formatted(upstream.url()));
    JsonObject status = adminJson("/ratelimit");
    assertThat(status.getJsonObject("store")).isEqualTo(new JsonObject().put("kind", "local").put("degraded", false));
    assertThat(status.getJsonObject("decisions").getLong("allowed")).isZero();
  }
}
