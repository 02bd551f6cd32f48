package io.edgeway.cache;

import io.edgeway.testing.TestVertx;
import io.edgeway.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.config.ConfigLoader;
import io.edgeway.config.LoadedConfig;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.runtime.Gateway;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache end to end: a real gateway on loopback with the cache module on a test clock, a real
 * upstream the test steers and counts, and a real HTTP client.
 */
class CacheEndToEndTest {
  private Vertx vertx;
  private TestUpstream upstream;
  private Gateway gateway;
  private HttpClient client;
  private HttpClient admin;
  private MutableClock clock;
  private CacheModule module;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
    clock = new MutableClock(Instant.now());
    module = new CacheModule(clock);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.stop(Duration.ofSeconds(1)).await(10, TimeUnit.SECONDS);
    }
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void startGateway(String yaml) throws Exception {
    String full = "server: { host: 127.0.0.1, port: 0, instances: 2 }\nadmin: { host: 127.0.0.1, port: 0 }\n" + yaml;
    LoadedConfig loaded = ConfigLoader.load("test.yaml", full);
    List<GatewayFilterFactory<?>> factories = new ArrayList<>();
    ServiceLoader.load(GatewayFilterFactory.class).forEach(factories::add);
    factories.add(new TestConsumerFilterFactory());
    List<GatewayModule> modules = new ArrayList<>(Gateway.discoverModules(getClass().getClassLoader()));
    modules.removeIf(m -> m instanceof CacheModule);
    modules.add(module);
    gateway = Gateway.start(vertx, loaded, "test.yaml", FilterRegistry.of(factories), modules)
        .await(20, TimeUnit.SECONDS);
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()),
        new PoolOptions().setHttp1MaxSize(32));
    admin = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(gateway.adminPort()));
  }

  private String route(String id, String path, String cacheConfig) {
    return """
          - id: %s
            match: { path: "%s" }
            upstream: { targets: [ { url: "%s" } ], timeouts: { connect: 1s, response: 2s } }
            filters:
              - cache: %s
        """.formatted(id, path, upstream.url(), cacheConfig);
  }

  private record Reply(int status, MultiMap headers, Buffer body) {
    String text() {
      return body.toString();
    }

    String cacheStatus() {
      return String.join(", ", headers.getAll("Cache-Status"));
    }
  }

  private Reply call(HttpMethod method, String uri, String... headers) throws Exception {
    return send(method, uri, headers).await(20, TimeUnit.SECONDS);
  }

  private Future<Reply> send(HttpMethod method, String uri, String... headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(uri);
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    return OnContext.run(vertx, () -> client.request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b))));
  }

  private Reply get(String uri, String... headers) throws Exception {
    return call(HttpMethod.GET, uri, headers);
  }

  private JsonObject adminCall(HttpMethod method, String uri) throws Exception {
    return OnContext.await(vertx, () -> admin.request(method, uri).compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> new JsonObject().put("status", resp.statusCode())
            .put("body", b.length() == 0 ? null : b.toJsonObject()))), 20);
  }

  private JsonObject stats() throws Exception {
    return adminCall(HttpMethod.GET, "/cache/stats").getJsonObject("body");
  }

  private long stores(String route) {
    JsonObject r = module.cache().stats().getJsonObject("routes").getJsonObject(route);
    return r == null ? 0 : r.getLong("stores");
  }

  /** Polls a condition with a bounded deadline (the gateway stores after the response ended). */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(5);
    }
  }

  /** An upstream answer: "body-N" (N counts requests) with the given headers. */
  private static void answer(HttpServerRequest req, AtomicInteger n, String... headers) {
    for (int i = 0; i < headers.length; i += 2) {
      req.response().putHeader(headers[i], headers[i + 1]);
    }
    req.response().end("body-" + n.incrementAndGet());
  }

  @Test
  void missThenHitWithAgeAndExpiryFollowsTheClock() throws Exception {
    AtomicInteger n = new AtomicInteger();
    upstream.respondWith(req -> answer(req, n, "Cache-Control", "max-age=60"));
    startGateway("routes:\n" + route("c", "/c/**", "{ ttl: 10s }") + route("d", "/d/**", "{ ttl: 10s }"));

    Reply miss = get("/c/a?b=2&a=1");
    assertThat(miss.status()).isEqualTo(200);
    assertThat(miss.headers().get("X-Cache")).isEqualTo("MISS");
    assertThat(miss.cacheStatus()).isEqualTo("edgeway; fwd=miss; stored");
    await("stored", () -> stores("c") == 1);

    Reply hit = get("/c/a?a=1&b=2"); // same key: sorted query
    assertThat(hit.text()).isEqualTo("body-1");
    assertThat(hit.headers().get("X-Cache")).isEqualTo("HIT");
    assertThat(hit.headers().get("Age")).isEqualTo("0");
    assertThat(hit.cacheStatus()).isEqualTo("edgeway; hit; ttl=60");
    assertThat(upstream.count()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(30));
    Reply older = get("/c/a?a=1&b=2");
    assertThat(older.headers().get("Age")).isEqualTo("30");
    assertThat(older.text()).isEqualTo("body-1");

    clock.advance(Duration.ofSeconds(31));
    Reply expired = get("/c/a?a=1&b=2");
    assertThat(expired.text()).isEqualTo("body-2");
    // Without validators or stale windows the entry left the store when it expired.
    assertThat(expired.cacheStatus()).isEqualTo("edgeway; fwd=miss; stored");
    assertThat(upstream.count()).isEqualTo(2);

    // Without freshness information from the upstream the route's ttl applies.
    upstream.respondWith(req -> answer(req, n));
    get("/d/x");
    await("stored", () -> stores("d") == 1);
    clock.advance(Duration.ofSeconds(9));
    assertThat(get("/d/x").headers().get("X-Cache")).isEqualTo("HIT");
    clock.advance(Duration.ofSeconds(2));
    assertThat(get("/d/x").headers().get("X-Cache")).isEqualTo("MISS");
    assertThat(upstream.count()).isEqualTo(4);
  }

  @Test
  void varyKeepsVariantsApartAndVaryStarIsNeverStored() throws Exception {
    upstream.respondWith(req -> {
      if (req.path().startsWith("/v/star")) {
        req.response().putHeader("Cache-Control", "max-age=60").putHeader("Vary", "*").end("star");
        return;
      }
      String lang = req.getHeader("Accept-Language");
      req.response().putHeader("Cache-Control", "max-age=60").putHeader("Vary", "Accept-Language")
          .end("lang=" + lang);
    });
    startGateway("routes:\n" + route("v", "/v/**", "{}"));

    assertThat(get("/v/page", "Accept-Language", "en").text()).isEqualTo("lang=en");
    await("stored en", () -> stores("v") == 1);
    Reply de = get("/v/page", "Accept-Language", "de");
    assertThat(de.text()).isEqualTo("lang=de");
    assertThat(de.cacheStatus()).isEqualTo("edgeway; fwd=vary-miss; stored");
    await("stored de", () -> stores("v") == 2);

    Reply en = get("/v/page", "Accept-Language", "en");
    assertThat(en.text()).isEqualTo("lang=en");
    assertThat(en.headers().get("X-Cache")).isEqualTo("HIT");
    Reply de2 = get("/v/page", "Accept-Language", "de");
    assertThat(de2.text()).isEqualTo("lang=de");
    assertThat(de2.headers().get("X-Cache")).isEqualTo("HIT");
    assertThat(upstream.count()).isEqualTo(2);

    get("/v/star");
    Reply star = get("/v/star");
    assertThat(star.headers().get("X-Cache")).isEqualTo("MISS");
    assertThat(star.cacheStatus()).isEqualTo("edgeway; fwd=miss");
    assertThat(upstream.count()).isEqualTo(4);
  }

  @Test
  void authorizedRequestsNeverShareEntriesAndPerConsumerKeysByConsumer() throws Exception {
    upstream.respondWith(req -> {
      String auth = req.getHeader("Authorization");
      req.response().putHeader("Cache-Control", "public, max-age=60")
          .end(auth == null ? "anonymous" : "for " + auth);
    });
    startGateway("routes:\n" + route("shared", "/shared/**", "{}") + """
          - id: mine
            match: { path: "/mine/**" }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - test-consumer: {}
              - cache: { per-consumer: true }
        """.formatted(upstream.url()));

    get("/shared/x");
    await("anonymous stored", () -> stores("shared") == 1);
    Reply authorized = get("/shared/x", "Authorization", "Bearer alice");
    assertThat(authorized.text()).isEqualTo("for Bearer alice");
    assertThat(authorized.cacheStatus()).isEqualTo("edgeway; fwd=bypass; detail=authorization");
    assertThat(get("/shared/x", "Authorization", "Bearer alice").text()).isEqualTo("for Bearer alice");
    assertThat(get("/shared/x").text()).isEqualTo("anonymous");
    assertThat(upstream.count()).isEqualTo(3);
    assertThat(stores("shared")).isEqualTo(1);

    assertThat(get("/mine/x", "Authorization", "Bearer alice").text()).isEqualTo("for Bearer alice");
    await("alice stored", () -> stores("mine") == 1);
    Reply bob = get("/mine/x", "Authorization", "Bearer bob");
    assertThat(bob.text()).isEqualTo("for Bearer bob");
    assertThat(bob.headers().get("X-Cache")).isEqualTo("MISS");
    await("bob stored", () -> stores("mine") == 2);
    Reply alice = get("/mine/x", "Authorization", "Bearer alice");
    assertThat(alice.text()).isEqualTo("for Bearer alice");
    assertThat(alice.headers().get("X-Cache")).isEqualTo("HIT");
    Reply anonymous = get("/mine/x");
    assertThat(anonymous.text()).isEqualTo("anonymous");
    assertThat(anonymous.headers().get("X-Cache")).isEqualTo("MISS");
    // An Authorization header the authentication step did not turn into a consumer is not cached.
    Reply unknown = get("/mine/x", "Authorization", "Basic Zm9vOmJhcg==");
    assertThat(unknown.cacheStatus()).isEqualTo("edgeway; fwd=bypass; detail=authorization");
    assertThat(upstream.count()).isEqualTo(7);
  }

  @Test
  void setCookieNoStoreAndPrivateResponsesAreNotStoredUnlessConfigured() throws Exception {
    upstream.respondWith(req -> {
      switch (req.path()) {
        case "/p/cookie", "/cookie-ok/x" -> req.response().putHeader("Set-Cookie", "session=abc")
            .putHeader("Cache-Control", "max-age=60").end("cookie");
        case "/p/no-store" -> req.response().putHeader("Cache-Control", "no-store, max-age=60").end("no-store");
        case "/p/private" -> req.response().putHeader("Cache-Control", "max-age=60").putHeader("Cache-Control", "private")
            .end("private");
        case "/p/error" -> req.response().setStatusCode(500).putHeader("Cache-Control", "max-age=60").end("error");
        default -> req.response().end("?");
      }
    });
    startGateway("routes:\n" + route("p", "/p/**", "{}") + route("cookie-ok", "/cookie-ok/**", "{ store-set-cookie: true }"));

    for (String path : List.of("/p/cookie", "/p/no-store", "/p/private", "/p/error")) {
      get(path);
      Reply again = get(path);
      assertThat(again.headers().get("X-Cache")).as(path).isEqualTo("MISS");
      assertThat(again.cacheStatus()).as(path).isEqualTo("edgeway; fwd=miss");
    }
    assertThat(upstream.count()).isEqualTo(8);
    assertThat(stores("p")).isZero();

    get("/cookie-ok/x");
    await("stored", () -> stores("cookie-ok") == 1);
    Reply stored = get("/cookie-ok/x");
    assertThat(stored.headers().get("X-Cache")).isEqualTo("HIT");
    assertThat(stored.headers().get("Set-Cookie")).isEqualTo("session=abc");
  }

  @Test
  void conditionalRequestsAre304FromTheGatewayAndStaleEntriesAreRevalidated() throws Exception {
    AtomicInteger full = new AtomicInteger();
    String lastModified = HttpDates.format(clock.millis() - 3_600_000);
    upstream.respondWith(req -> {
      req.response().putHeader("Cache-Control", "max-age=10").putHeader("ETag", "\"v1\"")
          .putHeader("Last-Modified", lastModified);
      if ("\"v1\"".equals(req.getHeader("If-None-Match"))) {
        req.response().setStatusCode(304).putHeader("X-Refreshed", "yes").end();
      } else {
        req.response().end("full-" + full.incrementAndGet());
      }
    });
    startGateway("routes:\n" + route("r", "/r/**", "{}"));

    assertThat(get("/r/doc").text()).isEqualTo("full-1");
    await("stored", () -> stores("r") == 1);

    Reply inm = get("/r/doc", "If-None-Match", "W/\"v1\", \"other\"");
    assertThat(inm.status()).isEqualTo(304);
    assertThat(inm.headers().get("ETag")).isEqualTo("\"v1\"");
    assertThat(inm.headers().get("X-Cache")).isEqualTo("HIT");
    assertThat(inm.body().length()).isZero();
    Reply ims = get("/r/doc", "If-Modified-Since", HttpDates.format(clock.millis()));
    assertThat(ims.status()).isEqualTo(304);
    Reply otherTag = get("/r/doc", "If-None-Match", "\"v0\"");
    assertThat(otherTag.status()).isEqualTo(200);
    assertThat(otherTag.text()).isEqualTo("full-1");
    assertThat(upstream.count()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(11));
    Reply revalidated = get("/r/doc");
    assertThat(revalidated.status()).isEqualTo(200);
    assertThat(revalidated.text()).isEqualTo("full-1");
    assertThat(revalidated.cacheStatus()).isEqualTo("edgeway; fwd=stale; fwd-status=304; stored");
    assertThat(revalidated.headers().get("X-Refreshed")).isEqualTo("yes");
    assertThat(upstream.count()).isEqualTo(2);
    assertThat(upstream.last().headers().get("If-None-Match")).isEqualTo("\"v1\"");
    assertThat(upstream.last().headers().get("If-Modified-Since")).isEqualTo(lastModified);

    Reply fresh = get("/r/doc");
    assertThat(fresh.headers().get("X-Cache")).isEqualTo("HIT");
    assertThat(fresh.cacheStatus()).startsWith("edgeway; hit; ttl=");
    assertThat(upstream.count()).isEqualTo(2);
    assertThat(full.get()).isEqualTo(1);
  }

  @Test
  void concurrentMissesCollapseIntoOneUpstreamRequest() throws Exception {
    List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    upstream.respondWith(held::add);
    startGateway("routes:\n" + route("co", "/co/**", "{ coalesce-timeout: 30s }"));
    int clients = 8;
    List<Future<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      replies.add(send(HttpMethod.GET, "/co/item"));
    }
    await("one request upstream and the others waiting",
        () -> upstream.count() == 1 && module.cache().waitingRequests() == clients - 1);
    held.get(0).response().putHeader("Cache-Control", "max-age=60").end("the-one");

    for (Future<Reply> f : replies) {
      Reply r = f.await(20, TimeUnit.SECONDS);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("the-one");
    }
    assertThat(upstream.count()).isEqualTo(1);
    assertThat(module.cache().waitingRequests()).isZero();
    assertThat(replies.stream().filter(f -> f.result().cacheStatus().endsWith("detail=coalesced")).count())
        .isEqualTo(clients - 1);
  }

  @Test
  void uncacheableLeaderReleasesWaitersToGoUpstreamThemselves() throws Exception {
    List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    upstream.respondWith(req -> {
      if (held.isEmpty()) {
        held.add(req);
      } else {
        req.response().putHeader("Cache-Control", "no-store").end("own");
      }
    });
    startGateway("routes:\n" + route("co", "/co/**", "{ coalesce-timeout: 30s }"));
    List<Future<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      replies.add(send(HttpMethod.GET, "/co/private"));
    }
    await("one held upstream, two waiting", () -> held.size() == 1 && module.cache().waitingRequests() == 2);
    held.get(0).response().putHeader("Cache-Control", "no-store").end("leader");
    List<String> bodies = new ArrayList<>();
    for (Future<Reply> f : replies) {
      bodies.add(f.await(20, TimeUnit.SECONDS).text());
    }
    assertThat(bodies).containsExactlyInAnyOrder("leader", "own", "own");
    assertThat(upstream.count()).isEqualTo(3);
  }

  @Test
  void staleIfErrorServesStaleOn5xxTimeoutAndConnectionFailure() throws Exception {
    TestUpstream origin = TestUpstream.start(vertx);
    AtomicInteger n = new AtomicInteger();
    origin.respondWith(req -> answer(req, n, "Cache-Control", "max-age=1"));
    startGateway("""
        routes:
          - id: s
            match: { path: "/s/**" }
            upstream: { targets: [ { url: "%s" } ], timeouts: { connect: 1s, response: 300ms } }
            filters:
              - cache: { stale-if-error: 5m }
        """.formatted(origin.url()));

    assertThat(get("/s/x").text()).isEqualTo("body-1");
    await("stored", () -> stores("s") == 1);
    clock.advance(Duration.ofSeconds(2));

    origin.respondWith(req -> req.response().setStatusCode(503).end("down"));
    Reply on503 = get("/s/x");
    assertThat(on503.status()).isEqualTo(200);
    assertThat(on503.text()).isEqualTo("body-1");
    assertThat(on503.cacheStatus()).isEqualTo("edgeway; fwd=stale; fwd-status=503; detail=stale-if-error");
    assertThat(on503.headers().get("Age")).isEqualTo("2");

    origin.respondWith(req -> vertx.setTimer(5_000, id -> req.response().end("late")));
    Reply onTimeout = get("/s/x");
    assertThat(onTimeout.status()).isEqualTo(200);
    assertThat(onTimeout.text()).isEqualTo("body-1");
    assertThat(onTimeout.cacheStatus()).isEqualTo("edgeway; fwd=stale; detail=stale-if-error");

    origin.close();
    Reply onDown = get("/s/x");
    assertThat(onDown.status()).isEqualTo(200);
    assertThat(onDown.text()).isEqualTo("body-1");
    assertThat(onDown.cacheStatus()).isEqualTo("edgeway; fwd=stale; detail=stale-if-error");

    clock.advance(Duration.ofMinutes(6));
    Reply tooOld = get("/s/x");
    assertThat(tooOld.status()).isEqualTo(502);
    assertThat(tooOld.body().toJsonObject().getString("code")).isEqualTo("upstream_unreachable");
  }

  @Test
  void backgroundRefreshAlsoPassesFiltersThatHookTheExchangeCompletion() throws Exception {
    // concurrency-limit (a later stage) frees its slot in an exchange completion callback; with
    // max 1, a slot leaked by the first background refresh would make the second one fail (503).
    AtomicInteger n = new AtomicInteger();
    upstream.respondWith(req -> answer(req, n, "Cache-Control", "max-age=1, stale-while-revalidate=30"));
    startGateway("routes:\n" + route("w", "/w/**", "{}") + "      - concurrency-limit: { max: 1 }\n");

    assertThat(get("/w/x").text()).isEqualTo("body-1");
    await("stored", () -> stores("w") == 1);
    clock.advance(Duration.ofSeconds(3));
    assertThat(get("/w/x").text()).isEqualTo("body-1");
    await("refreshed in the background", () -> stores("w") == 2);
    clock.advance(Duration.ofSeconds(3));
    assertThat(get("/w/x").text()).isEqualTo("body-2");
    await("refreshed again: the bulkhead slot was freed", () -> stores("w") == 3);
  }

  @Test
  void staleWhileRevalidateServesStaleAndRefreshesInTheBackground() throws Exception {
    AtomicInteger n = new AtomicInteger();
    upstream.respondWith(req -> answer(req, n, "Cache-Control", "max-age=1, stale-while-revalidate=30"));
    startGateway("routes:\n" + route("w", "/w/**", "{}"));

    assertThat(get("/w/x").text()).isEqualTo("body-1");
    await("stored", () -> stores("w") == 1);
    clock.advance(Duration.ofSeconds(3));

    Reply stale = get("/w/x");
    assertThat(stale.text()).isEqualTo("body-1");
    assertThat(stale.headers().get("X-Cache")).isEqualTo("HIT");
    assertThat(stale.cacheStatus()).isEqualTo("edgeway; hit; ttl=-2; detail=stale-while-revalidate");
    await("refreshed in the background", () -> stores("w") == 2);
    assertThat(upstream.count()).isEqualTo(2);

    Reply fresh = get("/w/x");
    assertThat(fresh.text()).isEqualTo("body-2");
    assertThat(fresh.cacheStatus()).isEqualTo("edgeway; hit; ttl=1");
    assertThat(upstream.count()).isEqualTo(2);
  }

  @Test
  void purgeOnePathAPrefixARouteOrEverything() throws Exception {
    AtomicInteger n = new AtomicInteger();
    upstream.respondWith(req -> answer(req, n, "Cache-Control", "max-age=600"));
    startGateway("routes:\n" + route("cat", "/catalog/**", "{}") + route("oth", "/other/**", "{}"));
    List<String> paths = List.of("/catalog/a", "/catalog/a?page=2", "/catalog/b/1", "/catalog/b/2", "/other/x");
    for (String p : paths) {
      get(p);
    }
    await("all stored", () -> stores("cat") + stores("oth") == 5);
    assertThat(stats().getLong("entries")).isEqualTo(5);

    JsonObject one = adminCall(HttpMethod.POST, "/cache/purge?path=/catalog/a");
    assertThat(one.getInteger("status")).isEqualTo(200);
    assertThat(one.getJsonObject("body").getLong("purged")).isEqualTo(2); // both query variants
    assertThat(get("/catalog/a").headers().get("X-Cache")).isEqualTo("MISS");
    assertThat(get("/catalog/b/1").headers().get("X-Cache")).isEqualTo("HIT");

    assertThat(adminCall(HttpMethod.POST, "/cache/purge?prefix=/catalog/b/").getJsonObject("body").getLong("purged"))
        .isEqualTo(2);
    assertThat(get("/catalog/b/2").headers().get("X-Cache")).isEqualTo("MISS");
    await("b/2 stored again", () -> stores("cat") == 6);

    assertThat(adminCall(HttpMethod.POST, "/cache/purge?route=cat").getJsonObject("body").getLong("purged"))
        .isEqualTo(2);
    assertThat(get("/other/x").headers().get("X-Cache")).isEqualTo("HIT");
    assertThat(adminCall(HttpMethod.POST, "/cache/purge?all=true").getJsonObject("body").getLong("purged"))
        .isEqualTo(1);
    assertThat(stats().getLong("entries")).isZero();
    assertThat(stats().getLong("bytes")).isZero();

    assertThat(adminCall(HttpMethod.POST, "/cache/purge").getInteger("status")).isEqualTo(400);
    assertThat(adminCall(HttpMethod.POST, "/cache/purge?route=a&all=true").getInteger("status")).isEqualTo(400);
    assertThat(adminCall(HttpMethod.GET, "/cache/purge?all=true").getInteger("status")).isEqualTo(405);

    JsonObject cat = stats().getJsonObject("routes").getJsonObject("cat");
    assertThat(cat.getLong("hits")).isEqualTo(1);
    assertThat(cat.getLong("misses")).isEqualTo(6);
    assertThat(cat.getDouble("hitRatio")).isCloseTo(1.0 / 7, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void theStoreStaysWithinItsByteBound() throws Exception {
    Buffer eightKiB = Buffer.buffer(new byte[8 * 1024]);
    upstream.respondWith(req -> req.response().putHeader("Cache-Control", "max-age=600").end(eightKiB));
    startGateway("cache: { max-size: 64KiB }\nroutes:\n" + route("big", "/big/**", "{}"));
    for (int i = 0; i < 20; i++) {
      assertThat(get("/big/" + i).body().length()).isEqualTo(8 * 1024);
    }
    await("all handled", () -> stores("big") == 20);
    JsonObject stats = stats();
    assertThat(stats.getLong("bytes")).isLessThanOrEqualTo(64 * 1024).isGreaterThan(32 * 1024);
    assertThat(stats.getLong("weightedBytes")).isEqualTo(stats.getLong("bytes"));
    assertThat(stats.getLong("entries")).isBetween(4L, 7L);
    assertThat(stats.getLong("evictions")).isEqualTo(20 - stats.getLong("entries"));
  }

  @Test
  void partialAndOversizedBodiesAreNeverStored() throws Exception {
    Buffer fourKiB = Buffer.buffer(new byte[4096]);
    upstream.respondWith(req -> {
      switch (req.path()) {
        case "/part/reset" -> {
          // Large enough to be streamed: the client already has the head when the body breaks.
          req.response().putHeader("Cache-Control", "max-age=60").putHeader("Content-Length", "100000");
          req.response().write(Buffer.buffer(new byte[50000]))
              .onComplete(ar -> vertx.setTimer(20, id -> req.connection().close()));
        }
        case "/part/reset-small" -> {
          // Small enough to be read whole before answering: the client gets a clean 502.
          req.response().putHeader("Cache-Control", "max-age=60").putHeader("Content-Length", "10000");
          req.response().write(Buffer.buffer(new byte[5000]))
              .onComplete(ar -> vertx.setTimer(20, id -> req.connection().close()));
        }
        case "/part/big" -> req.response().putHeader("Cache-Control", "max-age=60").end(fourKiB);
        case "/part/big-chunked" -> {
          req.response().setChunked(true).putHeader("Cache-Control", "max-age=60");
          req.response().write(fourKiB.slice(0, 2048));
          req.response().end(fourKiB.slice(2048, 4096));
        }
        default -> req.response().putHeader("Cache-Control", "max-age=60").end("small");
      }
    });
    startGateway("routes:\n" + route("part", "/part/**", "{ max-entry-size: 1KiB }"));

    for (int i = 0; i < 2; i++) {
      Throwable failure = send(HttpMethod.GET, "/part/reset").transform(ar -> Future.succeededFuture(ar.cause()))
          .await(20, TimeUnit.SECONDS);
      assertThat(failure).as("a truncated body must not look complete").isNotNull();
      Reply small = get("/part/reset-small");
      assertThat(small.status()).isEqualTo(502);
      assertThat(small.body().toJsonObject().getString("code")).isEqualTo("upstream_unreachable");
    }
    for (int i = 0; i < 2; i++) {
      Reply big = get("/part/big");
      assertThat(big.body()).isEqualTo(fourKiB);
      assertThat(big.cacheStatus()).isEqualTo("edgeway; fwd=miss");
      Reply chunked = get("/part/big-chunked");
      assertThat(chunked.body()).isEqualTo(fourKiB);
      assertThat(chunked.headers().get("X-Cache")).isEqualTo("MISS");
    }
    assertThat(upstream.count()).isEqualTo(8);
    get("/part/small");
    await("small stored", () -> stores("part") == 1);
    assertThat(get("/part/small").headers().get("X-Cache")).isEqualTo("HIT");
    assertThat(stores("part")).isEqualTo(1);
  }

  @Test
  void aResponseWhoseClientWentAwayMidBodyIsNotStored() throws Exception {
    AtomicInteger n = new AtomicInteger();
    upstream.respondWith(req -> {
      int count = n.incrementAndGet();
      req.response().putHeader("Cache-Control", "max-age=60").putHeader("Content-Length", "100000");
      if (count == 1) {
        // The first answer streams slowly, so the client can leave in the middle of it.
        req.response().write(Buffer.buffer(new byte[50000]))
            .onComplete(ar -> vertx.setTimer(300, id -> req.response().end(Buffer.buffer(new byte[50000]))));
      } else {
        req.response().end(Buffer.buffer(new byte[100000]));
      }
    });
    startGateway("routes:\n" + route("abort", "/abort/**", "{ max-entry-size: 1MiB }"));
    java.util.concurrent.CompletableFuture<io.edgeway.spi.ExchangeOutcome> done = new java.util.concurrent.CompletableFuture<>();
    gateway.runtime().addObserver((exchange, outcome) -> done.complete(outcome));

    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /abort/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] head = new byte[4096];
      int read = 0;
      while (read < 2000) {
        int r = socket.getInputStream().read(head, read, head.length - read);
        assertThat(r).as("the response has begun").isPositive();
        read += r;
      }
    } // closed with most of the body still to come
    assertThat(done.get(10, TimeUnit.SECONDS).clientAborted()).isTrue();
    Thread.sleep(200); // the store would happen on completion: give it the chance to be wrong
    assertThat(stores("abort")).isZero();

    Reply whole = get("/abort/x");
    assertThat(whole.body().length()).isEqualTo(100000);
    assertThat(whole.headers().get("X-Cache")).isEqualTo("MISS");
    await("stored", () -> stores("abort") == 1);
    assertThat(get("/abort/x").headers().get("X-Cache")).isEqualTo("HIT");
    assertThat(upstream.count()).isEqualTo(2);
  }

  @Test
  void headAndGetAreKeyedApart() throws Exception {
    AtomicInteger n = new AtomicInteger();
    upstream.respondWith(req -> {
      req.response().putHeader("Cache-Control", "max-age=60");
      if (req.method() == HttpMethod.HEAD) {
        req.response().putHeader("Content-Length", "6").end();
      } else {
        answer(req, n);
      }
    });
    startGateway("routes:\n" + route("h", "/h/**", "{}"));

    Reply head = call(HttpMethod.HEAD, "/h/x");
    assertThat(head.status()).isEqualTo(200);
    await("head stored", () -> stores("h") == 1);
    Reply get = get("/h/x");
    assertThat(get.text()).isEqualTo("body-1");
    assertThat(get.headers().get("X-Cache")).isEqualTo("MISS");
    await("get stored", () -> stores("h") == 2);
    Reply headHit = call(HttpMethod.HEAD, "/h/x");
    assertThat(headHit.headers().get("X-Cache")).isEqualTo("HIT");
    assertThat(headHit.body().length()).isZero();
    Reply getHit = get("/h/x");
    assertThat(getHit.headers().get("X-Cache")).isEqualTo("HIT");
    assertThat(getHit.text()).isEqualTo("body-1");
    assertThat(upstream.count()).isEqualTo(2);
  }

  @Test
  void otherMethodsAndRangeRequestsBypassTheCache() throws Exception {
    AtomicInteger n = new AtomicInteger();
    upstream.respondWith(req -> answer(req, n, "Cache-Control", "max-age=60"));
    startGateway("routes:\n" + route("b", "/b/**", "{}"));
    assertThat(call(HttpMethod.POST, "/b/x").cacheStatus()).isEqualTo("edgeway; fwd=method");
    assertThat(get("/b/x", "Range", "bytes=0-1").cacheStatus()).isEqualTo("edgeway; fwd=bypass; detail=range");
    assertThat(stores("b")).isZero();
    assertThat(upstream.count()).isEqualTo(2);
  }

  @Test
  void theIssueConfigurationShapeWorksAndKeysOnTheListedHeaders() throws Exception {
    upstream.respondWith(req -> req.response().end("lang=" + req.getHeader("Accept-Language") + " q=" + req.query()));
    startGateway("""
        cache:
          max-size: 256MiB
        routes:
          - id: catalog
            match: { path: /catalog/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - cache:
                  ttl: 60s
                  max-entry-size: 1MiB
                  stale-if-error: 5m
                  stale-while-revalidate: 10s
                  key: { query: include-all, headers: [Accept-Language] }
                  per-consumer: false
        """.formatted(upstream.url()));
    assertThat(get("/catalog/x?b=1&a=2", "Accept-Language", "en").text()).isEqualTo("lang=en q=b=1&a=2");
    await("stored", () -> stores("catalog") == 1);
    assertThat(get("/catalog/x?a=2&b=1", "Accept-Language", "en").headers().get("X-Cache")).isEqualTo("HIT");
    assertThat(get("/catalog/x?a=2&b=1", "Accept-Language", "fr").text()).isEqualTo("lang=fr q=a=2&b=1");
    assertThat(upstream.count()).isEqualTo(2);
    assertThat(stats().getLong("maxBytes")).isEqualTo(256L * 1024 * 1024);
  }

  @Test
  void invalidFilterConfigurationIsReportedWithItsKey() {
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> startGateway(
        "routes:\n" + route("bad", "/bad/**", "{ statuses: [200, 206] }")));
    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains("statuses: 206 (expected: a final status from 200 to 599, not 206 or 304)");
  }

  @Test
  void aNonErrorResponseToAnUnsafeRequestInvalidatesItsTargetAndSameHostLocationsWhicheverRouteCachedThem()
      throws Exception {
    AtomicInteger n = new AtomicInteger();
    upstream.respondWith(req -> {
      String path = req.path();
      switch (req.method().name()) {
        case "GET" -> answer(req, n, "Cache-Control", "max-age=60");
        case "DELETE" -> req.response().setStatusCode(path.equals("/items/2") ? 500 : 204).end();
        case "POST" -> req.response().setStatusCode(201).putHeader("Location", path.equals("/items")
            ? "/items/7" // relative: same host
            : path.equals("/items/far") ? "http://other.example/items/3" : "http://127.0.0.1:9/items/4").end();
        default -> req.response().end("ok");
      }
    });
    startGateway("routes:\n" + route("items", "/items/**", "{}") + """
          - id: split-read
            match: { path: "/split/**", methods: [GET] }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - cache: {}
          - id: split-write
            match: { path: "/split/**", methods: [DELETE] }
            upstream: { targets: [ { url: "%s" } ] }
        """.formatted(upstream.url(), upstream.url()));

    String[] cached = {"/items/1", "/items/1?v=2", "/items/2", "/items/3", "/items/4", "/items/7", "/split/a"};
    for (String uri : cached) {
      get(uri);
    }
    await("all stored", () -> stores("items") + stores("split-read") == cached.length);
    for (String uri : cached) {
      assertThat(get(uri).headers().get("X-Cache")).as(uri).isEqualTo("HIT");
    }

    // A successful write removes every variant of its target (here two queries).
    assertThat(call(HttpMethod.PUT, "/items/1").status()).isEqualTo(200);
    assertThat(get("/items/1").headers().get("X-Cache")).isEqualTo("MISS");
    assertThat(get("/items/1?v=2").headers().get("X-Cache")).isEqualTo("MISS");
    // An error response changed nothing, so the entry stays.
    assertThat(call(HttpMethod.DELETE, "/items/2").status()).isEqualTo(500);
    assertThat(get("/items/2").headers().get("X-Cache")).isEqualTo("HIT");
    // Location: a relative reference and an absolute one on the same host are invalidated...
    assertThat(call(HttpMethod.POST, "/items").status()).isEqualTo(201);
    assertThat(get("/items/7").headers().get("X-Cache")).isEqualTo("MISS");
    assertThat(call(HttpMethod.POST, "/items/near").status()).isEqualTo(201);
    assertThat(get("/items/4").headers().get("X-Cache")).isEqualTo("MISS");
    // ...one on another host is not (RFC 9111 4.4).
    assertThat(call(HttpMethod.POST, "/items/far").status()).isEqualTo(201);
    assertThat(get("/items/3").headers().get("X-Cache")).isEqualTo("HIT");
    // Reads and writes on separate routes: the write still invalidates what the read route stored.
    assertThat(call(HttpMethod.DELETE, "/split/a").status()).isEqualTo(204);
    assertThat(get("/split/a").headers().get("X-Cache")).isEqualTo("MISS");

    assertThat(stats().getLong("invalidations")).isEqualTo(5);
    // The path index never outlives the entries: expired and purged entries leave it.
    clock.advance(Duration.ofSeconds(61));
    stats();
    assertThat(module.cache().indexedPaths()).isZero();
  }
}
