package io.edgeway.runtime;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.proxy.Upstream;
import io.edgeway.testing.LogCapture;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.RecordingStateEvents;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload through a running gateway started from a file: POST /config/reload, the file watcher,
 * GET /config, refusal of broken files and of keys that need a restart, and the state that survives
 * (upstream pools, breakers, rate-limit buckets) by route and definition.
 */
class ConfigReloadEndToEndTest {

  static {
    // Netty's first pooled chunk initialises its JFR event classes, which takes seconds on a
    // loaded machine: done here, on the test thread, not inside a test on an event loop.
    io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(1).release();
  }
  private static final String HEAD = """
      server: { host: 127.0.0.1, port: 0, instances: 1, drain-delay: 0s, reload: { watch: %s, debounce: 50ms } }
      admin: { host: 127.0.0.1, port: 0 }
      """;

  @TempDir Path dir;
  private Vertx vertx;
  private TestUpstream upstream;
  private TestGateway gateway;
  private HttpClient client;
  private final RecordingStateEvents events = new RecordingStateEvents();
  private Path file;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
    upstream.respondWith(TestUpstream::echo);
    file = dir.resolve("edgeway.yaml");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void start(String yaml, boolean watch) throws Exception {
    write(HEAD.formatted(watch) + yaml, watch);
    gateway = TestGateway.startFromFile(vertx, file, List.of(events));
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1"));
  }

  /** Replaces the file in one rename, as editors and config management do. */
  private void write(String text, boolean watch) throws Exception {
    Path temp = Files.createTempFile(dir.getParent(), "edgeway", ".tmp");
    Files.writeString(temp, text);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void rewrite(String routes) throws Exception {
    write(HEAD.formatted(false) + routes, false);
  }

  private Response get(String path) throws Exception {
    return OnContext.await(vertx, () -> client.request(HttpMethod.GET, gateway.port(), "127.0.0.1", path)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b.toString()))), 30);
  }

  private Response admin(HttpMethod method, String path) throws Exception {
    return OnContext.await(vertx, () -> client.request(method, gateway.adminPort(), "127.0.0.1", path)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b.toString()))), 30);
  }

  private record Response(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private String route(String id, String path, String url) {
    return """
          - id: %s
            match: { path: %s }
            upstream: { targets: [ { url: "%s" } ] }
        """.formatted(id, path, url);
  }

  private Upstream upstreamOf(String routeId) {
    return gateway.gateway().runtime().snapshot().routes().stream().filter(r -> r.id().equals(routeId))
        .findFirst().orElseThrow().upstream();
  }

  @Test
  void aValidFileIsAppliedWholeAndUnchangedUpstreamsAreHandedOver() throws Exception {
    start("routes:\n" + route("a", "/a/**", upstream.url()) + route("b", "/b/**", upstream.url()), false);
    assertThat(get("/a/1").status()).isEqualTo(200);
    Upstream a = upstreamOf("a");
    String before = admin(HttpMethod.GET, "/config").json().getJsonObject("running").getString("version");

    rewrite("routes:\n" + route("a", "/a/**", upstream.url()) + route("c", "/c/**", upstream.url()));
    Response reload = admin(HttpMethod.POST, "/config/reload");

    assertThat(reload.status()).isEqualTo(200);
    JsonObject outcome = reload.json();
    assertThat(outcome.getString("outcome")).isEqualTo("applied");
    assertThat(outcome.getString("trigger")).isEqualTo("admin");
    assertThat(outcome.getJsonObject("routes").getJsonArray("added").getList()).containsExactly("c");
    assertThat(outcome.getJsonObject("routes").getJsonArray("removed").getList()).containsExactly("b");
    assertThat(outcome.getJsonObject("routes").getJsonArray("kept").getList()).containsExactly("a");
    assertThat(upstreamOf("a")).as("route a's upstream (pools, targets, monitor) is the same object").isSameAs(a);
    assertThat(get("/a/1").status()).isEqualTo(200);
    assertThat(get("/b/1").status()).isEqualTo(404);
    assertThat(get("/c/1").status()).isEqualTo(200);

    JsonObject config = admin(HttpMethod.GET, "/config").json();
    String version = ConfigVersion.hashOf(Files.readString(file));
    assertThat(config.getJsonObject("running").getString("version")).isEqualTo(version).isNotEqualTo(before);
    assertThat(config.getJsonObject("running").getString("source")).isEqualTo(file.toString());
    assertThat(config.getJsonObject("reloads").getLong("attempts")).isEqualTo(1);
    assertThat(config.getJsonObject("reloads").getLong("succeeded")).isEqualTo(1);
    assertThat(config.getJsonObject("lastReload").getString("outcome")).isEqualTo("applied");
    RecordingStateEvents.Recorded loaded = events.recorded().stream()
        .filter(e -> e.type().equals("config.loaded") && "admin".equals(e.data().get("trigger"))).findFirst()
        .orElseThrow();
    assertThat(loaded.data()).containsEntry("version", version).containsEntry("routes", 2);

    // The same file again: nothing to apply.
    Response again = admin(HttpMethod.POST, "/config/reload");
    assertThat(again.json().getString("outcome")).isEqualTo("unchanged");
  }

  @Test
  void aRouteIsKeptWhenItsDefinitionIsEqualHoweverTheYamlWritesIt() throws Exception {
    String url = upstream.url();
    start("""
        routes:
          - id: a
            match: { path: /a/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - request-headers: { set: { X-Tag: "1" }, remove: [X-Debug] }
          - id: b
            match: { path: /b/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - request-headers: { set: { X-Tag: "1" } }
        """.formatted(url, url), false);

    // Route a: the same settings in block style, keys in another order, other quotes. Route b: a new value.
    rewrite("""
        routes:
          - id: a
            match:
              path: /a/**
            upstream:
              targets:
                - url: "%s"
            filters:
              - request-headers:
                  remove:
                    - X-Debug
                  set:
                    X-Tag: '1'
          - id: b
            match: { path: /b/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - request-headers: { set: { X-Tag: "2" } }
        """.formatted(url, url));
    ConfigReloader.Result result = gateway.gateway().reloader().reload("test").await(30, TimeUnit.SECONDS);

    assertThat(result.attempt().outcome()).isEqualTo(ConfigReloadStats.Outcome.APPLIED);
    assertThat(result.routes().kept()).containsExactly("a");
    assertThat(result.routes().changed()).containsExactly("b");
  }

  @Test
  void aBrokenFileLeavesTheRunningConfigurationUntouchedAndIsReportedEverywhere() throws Exception {
    start("routes:\n" + route("a", "/a/**", upstream.url()), false);
    String running = admin(HttpMethod.GET, "/config").json().getJsonObject("running").getString("version");
    rewrite("""
        routes:
          - id: a
            match: { path: /a/** }
            upstream: { targets: [ { url: "%s" } ], timeouts: { connect: 5 parsecs } }
          - id: z
            match: { path: /z/** }
            upstrem: { targets: [ { url: "%s" } ] }
        """.formatted(upstream.url(), upstream.url()));
    Response reload;
    List<String> logged;
    try (LogCapture log = LogCapture.of(ConfigReloader.class)) {
      reload = admin(HttpMethod.POST, "/config/reload");
      logged = log.messages();
    }

    assertThat(reload.status()).isEqualTo(422);
    List<Object> errors = reload.json().getJsonArray("errors").getList();
    String source = file.toString();
    assertThat(errors).anySatisfy(e -> assertThat((String) e).startsWith(source + ":6:")
        .contains("routes[0].upstream.timeouts.connect: 5 parsecs (expected: "));
    assertThat(errors).anySatisfy(e -> assertThat((String) e).startsWith(source + ":9:")
        .contains("routes[1].upstrem"));
    assertThat(reload.json().getString("outcome")).isEqualTo("failed");
    assertThat(reload.json().getJsonObject("running").getString("version")).isEqualTo(running);
    for (Object error : errors) {
      assertThat(logged).anySatisfy(line -> assertThat(line).contains((String) error));
    }

    assertThat(get("/a/1").status()).as("still served by the running configuration").isEqualTo(200);
    assertThat(get("/z/1").status()).isEqualTo(404);
    JsonObject config = admin(HttpMethod.GET, "/config").json();
    assertThat(config.getJsonObject("running").getString("version")).isEqualTo(running);
    assertThat(config.getJsonObject("reloads").getLong("failed")).isEqualTo(1);
    assertThat(config.getJsonObject("lastReload").getJsonArray("errors").getList()).isEqualTo(errors);
    RecordingStateEvents.Recorded failed = events.await("config.reload-failed", 5);
    assertThat(failed.subject()).isEqualTo(source);
    assertThat(failed.data()).containsEntry("trigger", "admin").containsEntry("runningVersion", running)
        .containsEntry("errors", errors);
  }

  @Test
  void keysThatNeedARestartAreRefusedByNameAndLiveModuleKeysApply() throws Exception {
    start("cache: { max-size: 1MiB }\nroutes:\n" + route("a", "/a/**", upstream.url()), false);
    write(HEAD.formatted(false).replace("instances: 1", "instances: 2").replace("admin: { host: 127.0.0.1, port: 0 }",
        "admin: { host: 127.0.0.1, port: 0, enabled: true }") + "cache: { max-size: 1MiB }\nroutes:\n"
        + route("a", "/a/**", upstream.url()) + route("b", "/b/**", upstream.url()), false);
    Response refused = admin(HttpMethod.POST, "/config/reload");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().getJsonArray("errors").getList()).containsExactly(
        file + ":1:48: server.instances: 2 (expected: 1, the running value; changing it needs a restart)");
    assertThat(get("/b/1").status()).as("nothing of a refused reload applies").isEqualTo(404);

    rewrite("cache: { max-size: 2MiB, plugin-max-size: 64KiB }\nroutes:\n" + route("a", "/a/**", upstream.url()));
    Response applied = admin(HttpMethod.POST, "/config/reload");
    assertThat(applied.json().getString("outcome")).as(applied.body()).isEqualTo("applied");
    assertThat(admin(HttpMethod.GET, "/cache/stats").json().getLong("maxBytes")).isEqualTo(2L * 1024 * 1024);
    assertThat(admin(HttpMethod.GET, "/cache/stats").json().getJsonObject("plugins").getLong("maxBytes"))
        .isEqualTo(64L * 1024);
  }

  @Test
  void breakersAndRateLimitBucketsOfUnchangedRoutesSurviveAReload() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      deadPort = socket.getLocalPort();
    }
    String routes = """
        routes:
          - id: fragile
            match: { path: /fragile/** }
            upstream: { targets: [ { url: "http://127.0.0.1:%d" } ] }
            filters:
              - circuit-breaker: { consecutive-failures: 2, open-for: 10m }
          - id: limited
            match: { path: /limited/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - rate-limit: { key: route, limits: [ { capacity: 2, period: 1h } ] }
        """.formatted(deadPort, upstream.url());
    start(routes, false);
    assertThat(get("/fragile/1").status()).isEqualTo(502);
    assertThat(get("/fragile/1").status()).isEqualTo(502);
    assertThat(get("/fragile/1").status()).as("open").isEqualTo(503);
    assertThat(get("/limited/1").status()).isEqualTo(200);
    assertThat(get("/limited/1").status()).isEqualTo(200);
    assertThat(get("/limited/1").status()).isEqualTo(429);

    rewrite(routes + route("other", "/other/**", upstream.url()));
    assertThat(admin(HttpMethod.POST, "/config/reload").json().getString("outcome")).isEqualTo("applied");

    assertThat(get("/other/1").status()).isEqualTo(200);
    assertThat(get("/fragile/1").status()).as("the breaker is still open").isEqualTo(503);
    assertThat(get("/limited/1").status()).as("the bucket is still empty").isEqualTo(429);
    assertThat(admin(HttpMethod.GET, "/circuit-breakers").body()).contains("\"open\"");

    // Removing the routes releases their breaker.
    rewrite("routes:\n" + route("other", "/other/**", upstream.url()));
    assertThat(admin(HttpMethod.POST, "/config/reload").json().getString("outcome")).isEqualTo("applied");
    assertThat(admin(HttpMethod.GET, "/circuit-breakers").json().getJsonArray("circuitBreakers")).isEmpty();
  }

  @Test
  void aChangedFileIsReloadedByTheWatcher() throws Exception {
    start("routes:\n" + route("a", "/a/**", upstream.url()), true);
    CompletableFuture<ConfigReloader.Result> reloaded = new CompletableFuture<>();
    gateway.gateway().reloader().addListener(reloaded::complete);

    write(HEAD.formatted(true) + "routes:\n" + route("a", "/a/**", upstream.url())
        + route("b", "/b/**", upstream.url()), true);

    ConfigReloader.Result result = reloaded.get(20, TimeUnit.SECONDS);
    assertThat(result.attempt().trigger()).isEqualTo("file-change");
    assertThat(result.attempt().outcome()).isEqualTo(ConfigReloadStats.Outcome.APPLIED);
    assertThat(get("/b/1").status()).isEqualTo(200);
    assertThat(admin(HttpMethod.GET, "/config").json().getBoolean("watching")).isTrue();
  }
}
