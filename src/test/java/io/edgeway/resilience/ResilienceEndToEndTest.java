package io.edgeway.resilience;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.config.ConfigLoader;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.runtime.Gateway;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.runtime.StateEvents;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Breakers, retries, bulkhead, outlier ejection and health checks through a running gateway,
 * against real upstream servers on loopback that the tests make fail. Breaker time is a hand-driven
 * clock handed to the resilience module; ejection and health-check timers are real and awaited by
 * polling the admin API with a bounded deadline.
 */
class ResilienceEndToEndTest {
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final List<String> events = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private Gateway gateway;
  private HttpClient client;
  private final List<TestUpstream> upstreams = new ArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = TestVertx.create();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.stop(Duration.ofSeconds(1)).await(10, TimeUnit.SECONDS);
    }
    for (TestUpstream u : upstreams) {
      u.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private TestUpstream upstream() throws Exception {
    TestUpstream u = TestUpstream.start(vertx);
    upstreams.add(u);
    return u;
  }

  private static String closedPortUrl() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  private void start(String routes) throws Exception {
    String yaml = "server: { host: 127.0.0.1, port: 0, instances: 2 }\nadmin: { host: 127.0.0.1, port: 0 }\n" + routes;
    GatewayModule recorder = new GatewayModule() {
      @Override
      public String name() {
        return "recorder";
      }

      @Override
      public Future<Void> start(Context context) {
        StateEvents recording = (type, subject, data) -> {
          if (type.startsWith("circuit.") || type.startsWith("target.")) {
            events.add(type + " " + subject);
          }
        };
        context.services().register(StateEvents.class, recording);
        return Future.succeededFuture();
      }
    };
    gateway = Gateway.start(vertx, ConfigLoader.load("test.yaml", yaml), "test.yaml",
        FilterRegistry.discover(List.of(getClass().getClassLoader())),
        List.of(recorder, new ResilienceModule(clock::get))).await(20, TimeUnit.SECONDS);
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  record Reply(int status, MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }

    String code() {
      return json().getString("code");
    }
  }

  private Future<Reply> send(HttpMethod method, String uri, Buffer body) {
    return OnContext.run(vertx, () -> client.request(new RequestOptions().setMethod(method).setURI(uri))
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b))));
  }

  private Reply call(HttpMethod method, String uri, Buffer body) throws Exception {
    return send(method, uri, body).await(20, TimeUnit.SECONDS);
  }

  private Reply get(String uri) throws Exception {
    return call(HttpMethod.GET, uri, null);
  }

  private JsonObject admin(String path) throws Exception {
    HttpClient adminClient = vertx.createHttpClient();
    try {
      return OnContext.await(vertx, () -> adminClient.request(HttpMethod.GET, gateway.adminPort(), "127.0.0.1", path)
          .compose(req -> req.send()).compose(resp -> resp.body()).map(Buffer::toJsonObject), 10);
    } finally {
      adminClient.close();
    }
  }

  private static void await(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private JsonObject target(String route, String url) throws Exception {
    for (Object r : admin("/upstreams").getJsonArray("upstreams")) {
      JsonObject jr = (JsonObject) r;
      if (jr.getString("route").equals(route)) {
        for (Object t : jr.getJsonArray("targets")) {
          if (((JsonObject) t).getString("url").equals(url)) {
            return (JsonObject) t;
          }
        }
      }
    }
    throw new AssertionError("no target " + url);
  }

  private static void status(HttpServerRequest req, int status) {
    req.response().setStatusCode(status).end("status " + status);
  }

  // ---------------------------------------------------------------- circuit breaker

  @Test
  void breakerOpensOnA5xxBurstAnswersFastWithoutTheUpstreamThenProbesAndCloses() throws Exception {
    TestUpstream u = upstream();
    u.respondWith(req -> status(req, 500));
    start("""
        routes:
          - id: payments
            match: { path: /payments/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - circuit-breaker: { failure-rate: 50%%, minimum-calls: 4, window: 10s, open-for: 10s, half-open-calls: 2 }
        """.formatted(u.url()));

    for (int i = 0; i < 4; i++) {
      assertThat(get("/payments/1").status()).isEqualTo(500);
    }
    assertThat(events).containsExactly("circuit.opened payments");
    int seen = u.count();
    for (int i = 0; i < 5; i++) {
      Reply open = get("/payments/1");
      assertThat(open.status()).isEqualTo(503);
      assertThat(open.code()).isEqualTo("circuit_open");
      assertThat(open.headers().get("Retry-After")).isEqualTo("10");
      assertThat(open.headers().get("Content-Type")).isEqualTo("application/problem+json");
    }
    assertThat(u.count()).as("no upstream call while open").isEqualTo(seen);
    JsonObject breaker = admin("/circuit-breakers").getJsonArray("circuitBreakers").getJsonObject(0);
    assertThat(breaker.getString("state")).isEqualTo("open");
    assertThat(breaker.getLong("rejected")).isEqualTo(5L);

    // After open-for: at most two probes reach the (now slow, then healthy) upstream.
    clock.addAndGet(Duration.ofSeconds(10).toNanos());
    Queue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
    u.respondWith(held::add);
    List<Future<Reply>> concurrent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      concurrent.add(send(HttpMethod.GET, "/payments/1", null));
    }
    await("two probes at the upstream and three refusals", () -> held.size() == 2
        && concurrent.stream().filter(Future::isComplete).count() == 3);
    for (Future<Reply> f : concurrent) {
      if (f.isComplete()) {
        assertThat(f.result().code()).isEqualTo("circuit_open");
      }
    }
    assertThat(held).hasSize(2);
    held.forEach(req -> status(req, 200));
    Future.all(concurrent).await(10, TimeUnit.SECONDS);
    assertThat(events).containsExactly("circuit.opened payments", "circuit.half-opened payments",
        "circuit.closed payments");
    u.respondWith(TestUpstream::echo);
    assertThat(get("/payments/1").status()).isEqualTo(200);
  }

  @Test
  void connectionRefusedTripsConsecutiveFailuresAndTheStaticFallbackAnswers() throws Exception {
    start("""
        routes:
          - id: payments
            match: { path: /payments/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - circuit-breaker:
                  consecutive-failures: 3
                  open-for: 10s
                  fallback: { status: 503, body: '{"message":"payments temporarily unavailable"}' }
        """.formatted(closedPortUrl()));
    for (int i = 0; i < 3; i++) {
      Reply r = get("/payments/x");
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.code()).isEqualTo("upstream_unreachable");
    }
    Reply fallback = get("/payments/x");
    assertThat(fallback.status()).isEqualTo(503);
    assertThat(fallback.json().getString("message")).isEqualTo("payments temporarily unavailable");
    assertThat(fallback.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(fallback.headers().get("Retry-After")).isEqualTo("10");
  }

  @Test
  void openBreakerSendsTheRequestToTheAlternateUpstream() throws Exception {
    TestUpstream main = upstream();
    TestUpstream alternate = upstream();
    main.respondWith(req -> status(req, 503));
    start("""
        routes:
          - id: payments
            match: { path: /payments/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - circuit-breaker: { consecutive-failures: 2, fallback: { upstream: %s } }
        """.formatted(main.url(), alternate.url()));
    get("/payments/a");
    get("/payments/a");
    Reply r = call(HttpMethod.PUT, "/payments/b?q=1", Buffer.buffer("body-bytes"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("uri")).isEqualTo("/payments/b?q=1");
    assertThat(alternate.last().body().toString()).isEqualTo("body-bytes");
    assertThat(alternate.last().headers().get("Host")).isEqualTo("127.0.0.1:" + alternate.port());
    assertThat(main.count()).isEqualTo(2);
  }

  @Test
  void clientErrorsNeverCountAsFailures() throws Exception {
    TestUpstream u = upstream();
    u.respondWith(req -> status(req, 404));
    start("""
        routes:
          - id: r
            match: { path: /** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - circuit-breaker: { consecutive-failures: 2, minimum-calls: 2 }
        """.formatted(u.url()));
    for (int i = 0; i < 6; i++) {
      assertThat(get("/x").status()).isEqualTo(404);
    }
    assertThat(u.count()).isEqualTo(6);
    assertThat(events).isEmpty();
  }

  // ---------------------------------------------------------------- retries

  @Test
  void retriesA503BurstAndEachAttemptMayPickAnotherTarget() throws Exception {
    TestUpstream u = upstream();
    AtomicInteger calls = new AtomicInteger();
    u.respondWith(req -> {
      if (calls.incrementAndGet() <= 2) {
        status(req, 503);
      } else {
        TestUpstream.echo(req);
      }
    });
    start("""
        routes:
          - id: r
            match: { path: /** }
            upstream: { targets: [ { url: %s }, { url: %s } ] }
            filters:
              - retry: { attempts: 3, backoff: { initial: 5ms, max: 20ms }, budget-min-retries: 100 }
        """.formatted(u.url(), closedPortUrl()));
    // Whatever the balancer picks, refused connections and 503s are retried until an answer.
    Reply r = get("/a");
    assertThat(r.status()).isIn(200, 503);
    for (int i = 0; i < 6; i++) {
      assertThat(get("/b").status()).as("request " + i).isEqualTo(200);
    }
    JsonObject stats = admin("/retries").getJsonObject("retries").getJsonObject("r");
    assertThat(stats.getLong("retries")).isGreaterThanOrEqualTo(2L);
  }

  @Test
  void postIsNeverRetriedUnlessListedAndSmallBodiesAreSentAgain() throws Exception {
    TestUpstream u = upstream();
    AtomicInteger calls = new AtomicInteger();
    u.respondWith(req -> {
      if (calls.incrementAndGet() % 2 == 1) {
        status(req, 502);
      } else {
        TestUpstream.echo(req);
      }
    });
    start("""
        routes:
          - id: r
            match: { path: /** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - retry: { attempts: 3, backoff: { initial: 1ms }, budget-min-retries: 100 }
        """.formatted(u.url()));
    assertThat(call(HttpMethod.POST, "/orders", Buffer.buffer("order")).status()).isEqualTo(502);
    assertThat(u.count()).as("POST sent once").isEqualTo(1);
    calls.set(0);

    Reply put = call(HttpMethod.PUT, "/orders/1", Buffer.buffer("payload-1"));
    assertThat(put.status()).isEqualTo(200);
    assertThat(u.count()).isEqualTo(3);
    assertThat(u.received().get(1).body().toString()).isEqualTo("payload-1");
    assertThat(u.received().get(2).body().toString()).isEqualTo("payload-1");
  }

  @Test
  void retriesAreBoundedByTheBudget() throws Exception {
    TestUpstream u = upstream();
    u.respondWith(req -> status(req, 503));
    start("""
        routes:
          - id: r
            match: { path: /** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - retry: { attempts: 3, backoff: { initial: 1ms }, budget: 10%%, budget-min-retries: 2, budget-window: 1h }
        """.formatted(u.url()));
    for (int i = 0; i < 20; i++) {
      assertThat(get("/x").status()).isEqualTo(503);
    }
    // 20 requests: max(2, 10% of 20) = 2 retries at most, instead of 40 without a budget.
    assertThat(u.count()).isEqualTo(22);
    JsonObject stats = admin("/retries").getJsonObject("retries").getJsonObject("r");
    assertThat(stats.getLong("retries")).isEqualTo(2L);
    // The first request took both retries; each of the other 19 found the budget spent.
    assertThat(stats.getLong("budgetExhausted")).isEqualTo(19L);
  }

  @Test
  void perTryTimeoutRetriesASlowAttempt() throws Exception {
    TestUpstream u = upstream();
    AtomicInteger calls = new AtomicInteger();
    u.respondWith(req -> {
      if (calls.incrementAndGet() == 1) {
        return; // never answers: the per-try timeout gives up on it
      }
      TestUpstream.echo(req);
    });
    start("""
        routes:
          - id: r
            match: { path: /** }
            upstream: { targets: [ { url: %s } ], timeouts: { response: 30s } }
            filters:
              - retry: { attempts: 2, per-try-timeout: 300ms, backoff: { initial: 1ms } }
        """.formatted(u.url()));
    Reply r = get("/slow");
    assertThat(r.status()).isEqualTo(200);
    assertThat(u.count()).isEqualTo(2);
  }

  @Test
  void aResponseResetMidBodyIsNeverRetried() throws Exception {
    TestUpstream u = upstream();
    u.respondWith(req -> {
      req.response().setChunked(true).write("partial-");
      vertx.setTimer(50, id -> req.connection().close());
    });
    start("""
        routes:
          - id: r
            match: { path: /** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - retry: { attempts: 3, on: [connect-failure, timeout, 502], backoff: { initial: 1ms } }
        """.formatted(u.url()));
    Future<Reply> reply = send(HttpMethod.GET, "/download", null);
    await("the aborted response", reply::isComplete);
    assertThat(reply.failed()).as("a truncated body never looks complete").isTrue();
    assertThat(u.count()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- bulkhead

  @Test
  void concurrencyLimitRejectsTheExcessAtOnce() throws Exception {
    TestUpstream u = upstream();
    Queue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
    u.respondWith(held::add);
    start("""
        routes:
          - id: r
            match: { path: /** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - concurrency-limit: { max: 2 }
        """.formatted(u.url()));
    Future<Reply> a = send(HttpMethod.GET, "/a", null);
    Future<Reply> b = send(HttpMethod.GET, "/b", null);
    await("two requests at the upstream", () -> held.size() == 2);
    Reply third = get("/c");
    assertThat(third.status()).isEqualTo(503);
    assertThat(third.code()).isEqualTo("concurrency_limit");
    assertThat(u.count()).isEqualTo(2);
    held.forEach(TestUpstream::echo);
    assertThat(a.await(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(b.await(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    u.respondWith(TestUpstream::echo);
    assertThat(get("/d").status()).isEqualTo(200);
  }

  // ---------------------------------------------------------------- outlier detection

  @Test
  void aFailingTargetIsEjectedReceivesNoTrafficAndComesBack() throws Exception {
    TestUpstream bad = upstream();
    TestUpstream good = upstream();
    bad.respondWith(req -> status(req, 500));
    start("""
        routes:
          - id: r
            match: { path: /** }
            upstream:
              targets: [ { url: %s }, { url: %s } ]
              outlier-detection: { consecutive-failures: 2, base-ejection: 2s, max-ejected: 50%% }
        """.formatted(bad.url(), good.url()));
    for (int i = 0; i < 4 && bad.count() < 2; i++) {
      get("/x");
    }
    await("the bad target ejected", () -> events.contains("target.ejected " + bad.url()));
    assertThat(target("r", bad.url()).getBoolean("ejected")).isTrue();
    int badSeen = bad.count();
    for (int i = 0; i < 10; i++) {
      assertThat(get("/y").status()).isEqualTo(200);
    }
    // The ejection is 2 s; if it ended while we sent, the restore event is there too.
    if (!events.contains("target.restored " + bad.url())) {
      assertThat(bad.count()).as("no traffic while ejected").isEqualTo(badSeen);
    }
    bad.respondWith(TestUpstream::echo);
    await("the bad target restored", () -> events.contains("target.restored " + bad.url()));
    for (int i = 0; i < 4; i++) {
      get("/z");
    }
    assertThat(bad.count()).isGreaterThan(badSeen);
  }

  @Test
  void anUpstreamKilledMidTestIsRetriedAroundAndEjected() throws Exception {
    TestUpstream doomed = upstream();
    TestUpstream survivor = upstream();
    start("""
        routes:
          - id: r
            match: { path: /** }
            upstream:
              targets: [ { url: %s }, { url: %s } ]
              outlier-detection: { consecutive-failures: 1, base-ejection: 1m }
            filters:
              - retry: { attempts: 2, backoff: { initial: 1ms } }
        """.formatted(doomed.url(), survivor.url()));
    for (int i = 0; i < 4; i++) {
      assertThat(get("/a").status()).isEqualTo(200);
    }
    assertThat(doomed.count()).isPositive();
    doomed.close();
    upstreams.remove(doomed);
    for (int i = 0; i < 10; i++) {
      assertThat(get("/b").status()).as("request " + i).isEqualTo(200);
    }
    assertThat(events).contains("target.ejected " + doomed.url());
    assertThat(target("r", doomed.url()).getBoolean("available")).isFalse();
  }

  @Test
  void allTargetsOutFailsFastWith503() throws Exception {
    start("""
        routes:
          - id: r
            match: { path: /** }
            upstream:
              targets: [ { url: %s } ]
              outlier-detection: { consecutive-failures: 1, base-ejection: 1m, max-ejected: 100%% }
        """.formatted(closedPortUrl()));
    assertThat(get("/a").status()).isEqualTo(502);
    Reply r = get("/a");
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.code()).isEqualTo("no_healthy_upstream");
  }

  // ---------------------------------------------------------------- active health checks

  @Test
  void healthChecksTakeATargetOutAndPutItBack() throws Exception {
    TestUpstream flaky = upstream();
    TestUpstream steady = upstream();
    AtomicInteger healthStatus = new AtomicInteger(200);
    flaky.respondWith(req -> {
      if (req.path().equals("/health")) {
        status(req, healthStatus.get());
      } else {
        TestUpstream.echo(req);
      }
    });
    steady.respondWith(req -> {
      if (req.path().equals("/health")) {
        status(req, 200);
      } else {
        TestUpstream.echo(req);
      }
    });
    start("""
        routes:
          - id: r
            match: { path: /api/** }
            upstream:
              targets: [ { url: %s }, { url: %s } ]
              health-check: { path: /health, interval: 100ms, unhealthy-after: 2, healthy-after: 2 }
        """.formatted(flaky.url(), steady.url()));
    healthStatus.set(503);
    await("flaky marked unhealthy", () -> events.contains("target.ejected " + flaky.url()));
    JsonObject t = target("r", flaky.url());
    assertThat(t.getBoolean("healthy")).isFalse();
    assertThat(t.getJsonObject("healthCheck").getString("lastResult")).isEqualTo("status 503");
    long apiBefore = flaky.received().stream().filter(x -> x.uri().startsWith("/api")).count();
    for (int i = 0; i < 8; i++) {
      assertThat(get("/api/x").status()).isEqualTo(200);
    }
    assertThat(flaky.received().stream().filter(x -> x.uri().startsWith("/api")).count()).isEqualTo(apiBefore);
    healthStatus.set(200);
    await("flaky healthy again", () -> events.contains("target.restored " + flaky.url()));
    for (int i = 0; i < 4; i++) {
      get("/api/y");
    }
    assertThat(flaky.received().stream().filter(x -> x.uri().startsWith("/api")).count()).isGreaterThan(apiBefore);
  }

  @Test
  void theIssueConfigurationCompilesAndServes() throws Exception {
    TestUpstream a = upstream();
    TestUpstream b = upstream();
    TestUpstream fallback = upstream();
    start("""
        routes:
          - id: payments
            match: { path: /payments/** }
            upstream:
              targets: [ { url: %s }, { url: %s } ]
              health-check: { path: /health, interval: 5s, unhealthy-after: 3, healthy-after: 2 }
              outlier-detection: { consecutive-failures: 5, base-ejection: 30s, max-ejected: 50%% }
            filters:
              - circuit-breaker:
                  failure-rate: 50%%
                  minimum-calls: 20
                  window: 10s
                  consecutive-failures: 5
                  slow-call: { threshold: 2s, rate: 80%% }
                  open-for: 10s
                  half-open-calls: 3
                  failure-statuses: [500, 502, 503, 504]
                  fallback: { upstream: %s }
              - retry:
                  attempts: 3
                  on: [connect-failure, timeout, 502, 503, 504]
                  methods: [GET, HEAD, OPTIONS, PUT, DELETE]
                  backoff: { initial: 25ms, max: 500ms, jitter: true }
                  per-try-timeout: 1s
                  budget: 20%%
              - concurrency-limit: { max: 200 }
          - id: cached
            match: { path: /cached/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - circuit-breaker: { fallback: stale-cache }
        """.formatted(a.url(), b.url(), fallback.url(), a.url()));
    assertThat(get("/payments/1").status()).isEqualTo(200);
    assertThat(get("/cached/1").status()).isEqualTo(200);
    assertThat(admin("/circuit-breakers").getJsonArray("circuitBreakers")).hasSize(2);
    assertThat(admin("/upstreams").getJsonArray("upstreams")).hasSize(2);
  }
}
