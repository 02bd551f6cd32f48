package io.edgeway.plugin;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.runtime.ConfigReloadStats.Outcome;
import io.edgeway.runtime.ConfigReloader;
import io.edgeway.runtime.Gateway;
import io.edgeway.spi.SpiVersion;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.PluginJarBuilder;
import io.edgeway.testing.TestPlugins;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload rescans the plugins directory: replaced jars get a new class loader used by the new
 * snapshot, unchanged jars keep theirs, the old loader closes once the last request on the old
 * snapshot ended; a reload whose plugins fail is refused and the running snapshot serves on.
 * Plugin code never runs on an event loop before its filter exists. GET /plugins lists them.
 */
class PluginReloadTest {
  private static final String ROUTES = """
      routes:
        - id: r
          match: { path: /r/** }
          upstream: { targets: [ { url: "%1$s" } ] }
          filters: [ { stamp: {} } ]
      """;

  @TempDir
  Path dir;

  private Vertx vertx;
  private TestUpstream upstream;
  private Path plugins;
  private Path config;
  private Gateway gateway;
  private final CompletableFuture<HttpServerRequest> held = new CompletableFuture<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx).respondWith(req -> {
      if (req.path().contains("/hold")) {
        held.complete(req); // answered by the test, later
      } else {
        TestUpstream.echo(req);
      }
    });
    plugins = Files.createDirectories(dir.resolve("plugins"));
    config = dir.resolve("edgeway.yaml");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.stop(Duration.ofSeconds(1)).await(10, TimeUnit.SECONDS);
    }
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Builds elsewhere and renames into place, as an operator should replace a jar. */
  private Path install(PluginJarBuilder builder, String name) throws Exception {
    Path built = builder.build(dir.resolve("build-" + System.nanoTime() + ".jar"));
    return Files.move(built, plugins.resolve(name), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private String stampSeenUpstream(String path) throws Exception {
    assertThat(PluginIsolationTest.get(vertx, gateway, path)).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo(path);
    return upstream.last().headers().get("X-Stamp");
  }

  private ConfigReloader.Result reload() throws Exception {
    return gateway.reloader().reload("test").await(60, TimeUnit.SECONDS);
  }

  @Test
  void aReplacedJarServesTheNewSnapshotAndItsOldLoaderClosesAfterTheLastRequest() throws Exception {
    install(TestPlugins.stamp(dir, "v1"), "stamp.jar");
    install(TestPlugins.named(dir, "other"), "other.jar");
    TestPlugins.config(config, ROUTES.formatted(upstream.url()));
    gateway = TestPlugins.start(vertx, config, plugins);
    assertThat(stampSeenUpstream("/r/1")).isEqualTo("v1");
    PluginJar oldStamp = gateway.reloader().plugins().jars().get(1);
    PluginJar other = gateway.reloader().plugins().jars().get(0);
    assertThat(oldStamp.descriptor().name()).isEqualTo("stamp");

    // A request in flight on the old snapshot: its upstream answers only when the test says so.
    HttpClient client = vertx.createHttpClient();
    Future<Integer> slow = OnContext.run(vertx, () -> client.request(HttpMethod.GET, gateway.port(), "127.0.0.1",
        "/r/hold").compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode())));
    HttpServerRequest waiting = held.get(10, TimeUnit.SECONDS);
    assertThat(waiting.getHeader("X-Stamp")).isEqualTo("v1");

    install(TestPlugins.stamp(dir, "v2"), "stamp.jar");
    ConfigReloader.Result result = reload();
    assertThat(result.attempt().outcome()).as(result.attempt().errors().toString()).isEqualTo(Outcome.APPLIED);
    assertThat(stampSeenUpstream("/r/2")).isEqualTo("v2");
    PluginJar newStamp = gateway.reloader().plugins().jars().get(1);
    assertThat(newStamp).isNotSameAs(oldStamp);
    assertThat(newStamp.classLoader()).isNotSameAs(oldStamp.classLoader());
    assertThat(gateway.reloader().plugins().jars().get(0)).as("unchanged jar keeps its loader").isSameAs(other);

    // The old snapshot still has a request running the old plugin's filter: its loader stays open.
    assertThat(oldStamp.closed()).isNotDone();
    assertThat(oldStamp.references()).isEqualTo(1);
    waiting.response().end("late");
    assertThat(slow.await(10, TimeUnit.SECONDS)).isEqualTo(200);
    oldStamp.closed().get(10, TimeUnit.SECONDS);
    assertThat(other.closed()).isNotDone();
    assertThat(newStamp.closed()).isNotDone();
    assertThat(stampSeenUpstream("/r/3")).isEqualTo("v2");

    // A reload with nothing changed, neither file nor jars, is no reload.
    assertThat(reload().attempt().outcome()).isEqualTo(Outcome.UNCHANGED);
    assertThat(gateway.reloader().plugins().jars().get(1)).isSameAs(newStamp);
  }

  @Test
  void aReloadWhosePluginsFailIsRefusedAndTheRunningSnapshotServesOn() throws Exception {
    install(TestPlugins.stamp(dir, "v1"), "stamp.jar");
    TestPlugins.config(config, ROUTES.formatted(upstream.url()));
    gateway = TestPlugins.start(vertx, config, plugins);
    PluginSet running = gateway.reloader().plugins();

    // create() throws: the reload fails at the filter, naming the plugin and its jar.
    Path explode = install(TestPlugins.throwing(dir, false, "no licence for this route"), "explode.jar");
    TestPlugins.config(config, (ROUTES + """
          - id: boom
            match: { path: /boom/** }
            upstream: { targets: [ { url: "%1$s" } ] }
            filters: [ { explode: {} } ]
        """).formatted(upstream.url()));
    refused("routes[1].filters[0].explode: the 'explode' filter of plugin explode unknown (" + explode
        + ") could not be created: java.lang.IllegalStateException: no licence for this route");
    assertThat(PluginIsolationTest.get(vertx, gateway, "/boom/x")).isEqualTo(404);

    // The constructor throws.
    install(TestPlugins.throwing(dir, true, "licence key missing"), "explode.jar");
    refused(explode + ": cannot load its filter factories: ");

    // Built for a newer SPI.
    Files.delete(explode);
    TestPlugins.config(config, ROUTES.formatted(upstream.url()));
    Path newer = install(TestPlugins.named(dir, "newer").spiVersion("1.4.0"), "newer.jar");
    refused(newer + ": built for Edgeway SPI 1.4.0; this gateway provides 1.0.0 (expected: 1.0 or older 1.x)");

    // A clash with the running plugin.
    Files.delete(newer);
    Path twin = install(TestPlugins.stamp(dir, "twin"), "twin.jar");
    refused("filter name 'stamp' is claimed by both " + plugins.resolve("stamp.jar") + " (com.example.stamp.StampFactory)"
        + " and " + twin + " (com.example.stamp.StampFactory)");

    assertThat(gateway.reloader().plugins()).isSameAs(running);
    assertThat(running.jars().get(0).closed()).isNotDone();
    Files.delete(twin);
    assertThat(reload().attempt().outcome()).isEqualTo(Outcome.UNCHANGED);
  }

  private void refused(String error) throws Exception {
    ConfigReloader.Result result = reload();
    assertThat(result.attempt().outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.attempt().errors()).anySatisfy(e -> assertThat(e).contains(error));
    assertThat(stampSeenUpstream("/r/still")).as("the running snapshot serves on").isEqualTo("v1");
  }

  @Test
  void getPluginsListsEachJarWithItsFiltersStagesAndRoutes() throws Exception {
    Path stamp = install(TestPlugins.stamp(dir, "v1").attribute(SpiVersion.PLUGIN_VERSION_ATTRIBUTE, "1.4.2")
        .attribute(SpiVersion.PLUGIN_NAME_ATTRIBUTE, "stamper"), "stamp.jar");
    Path other = install(TestPlugins.named(dir, "other").attribute("Implementation-Version", "0.9"), "other.jar");
    TestPlugins.config(config, (ROUTES + """
          - id: r2
            match: { path: /r2/** }
            upstream: { targets: [ { url: "%1$s" } ] }
            filters: [ { cors: { allow-origins: [ "https://a.example" ] } }, { stamp: {} } ]
        """).formatted(upstream.url()));
    gateway = TestPlugins.start(vertx, config, plugins);

    JsonObject answer = new JsonObject(OnContext.await(vertx, () -> vertx.createHttpClient()
        .request(HttpMethod.GET, gateway.adminPort(), "127.0.0.1", "/plugins")
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b)), 10).substring(4));
    assertThat(answer.getString("spiVersion")).isEqualTo("1.0.0");
    JsonArray list = answer.getJsonArray("plugins");
    assertThat(list).hasSize(2);
    assertThat(list.getJsonObject(0)).isEqualTo(new JsonObject()
        .put("name", "other").put("jar", other.toString()).put("version", "0.9").put("spiVersion", "1.0.0")
        .put("sha256", gateway.reloader().plugins().jars().get(0).descriptor().sha256())
        .put("filters", new JsonArray().add(new JsonObject().put("name", "other").put("stage", "TRANSFORM")
            .put("routes", new JsonArray()))));
    JsonObject stamper = list.getJsonObject(1);
    assertThat(stamper.getString("name")).isEqualTo("stamper");
    assertThat(stamper.getString("jar")).isEqualTo(stamp.toString());
    assertThat(stamper.getString("version")).isEqualTo("1.4.2");
    assertThat(stamper.getJsonArray("filters")).isEqualTo(new JsonArray().add(new JsonObject()
        .put("name", "stamp").put("stage", "TRANSFORM").put("routes", new JsonArray(List.of("r", "r2")))));
  }

  /**
   * The factory records {@code Context.isOnEventLoopThread()} in its constructor, name(), stage(),
   * configType() and create(): at start-up (started from an event loop, even) and in a reload asked
   * for on the admin API's event loop, none of them runs on one.
   */
  @Test
  void pluginCodeNeverRunsOnAnEventLoopBeforeItsFilterExists() throws Exception {
    install(PluginJarBuilder.in(dir).source("com.example.probe.ProbeFactory", """
        package com.example.probe;
        import io.edgeway.spi.*;
        import io.vertx.core.Context;
        public final class ProbeFactory implements GatewayFilterFactory<ProbeFactory.Config> {
          public static final java.util.List<String> CALLS = new java.util.concurrent.CopyOnWriteArrayList<>();
          static void record(String what) {
            CALLS.add(what + (Context.isOnEventLoopThread() ? " ON EVENT LOOP " : " off ")
                + Thread.currentThread().getName());
          }
          public record Config(String unused) {}
          public ProbeFactory() { record("constructor"); }
          public String name() { record("name"); return "probe"; }
          public Stage stage() { record("stage"); return Stage.TRANSFORM; }
          public Class<Config> configType() { record("configType"); return Config.class; }
          public GatewayFilter create(Config config, FilterContext context) {
            record("create");
            return (exchange, chain) -> chain.proceed(exchange);
          }
        }
        """).factory("com.example.probe.ProbeFactory"), "probe.jar");
    String routes = """
        routes:
          - id: p1
            match: { path: /p1/** }
            upstream: { targets: [ { url: "%1$s" } ] }
            filters: [ { probe: {} } ]
        """.formatted(upstream.url());
    TestPlugins.config(config, routes);
    PluginSet set = PluginSet.load(plugins, getClass().getClassLoader());
    String text = Files.readString(config);
    var modules = Gateway.discoverModules(getClass().getClassLoader());
    var loaded = new io.edgeway.runtime.ConfigValidator(set.registry(), modules).load(config.toString(), text, n -> null);
    gateway = OnContext.await(vertx, () -> Gateway.start(vertx, loaded,
        io.edgeway.runtime.ConfigOrigin.ofFile(config, text), set, modules), 30);
    assertThat(PluginIsolationTest.get(vertx, gateway, "/p1/x")).isEqualTo(200);

    TestPlugins.config(config, routes + """
          - id: p2
            match: { path: /p2/** }
            upstream: { targets: [ { url: "%1$s" } ] }
            filters: [ { probe: {} } ]
        """.formatted(upstream.url()));
    int reloaded = OnContext.await(vertx, () -> vertx.createHttpClient()
        .request(HttpMethod.POST, gateway.adminPort(), "127.0.0.1", "/config/reload")
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode())), 60);
    assertThat(reloaded).isEqualTo(200);
    assertThat(PluginIsolationTest.get(vertx, gateway, "/p2/x")).isEqualTo(200);
    int plugins = OnContext.await(vertx, () -> vertx.createHttpClient()
        .request(HttpMethod.GET, gateway.adminPort(), "127.0.0.1", "/plugins")
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode())), 10);
    assertThat(plugins).isEqualTo(200);

    @SuppressWarnings("unchecked")
    List<String> calls = (List<String>) set.jars().get(0).classLoader().loadClass("com.example.probe.ProbeFactory")
        .getField("CALLS").get(null);
    assertThat(calls).anyMatch(c -> c.startsWith("constructor")).anyMatch(c -> c.startsWith("name"))
        .anyMatch(c -> c.startsWith("stage")).anyMatch(c -> c.startsWith("configType"))
        .anyMatch(c -> c.startsWith("create") && c.contains("edgeway-config-reload"));
    // validation and compilation, at start-up (1 route) and in the reload (2 routes)
    assertThat(calls.stream().filter(c -> c.startsWith("create"))).hasSize(6);
    assertThat(calls).allMatch(c -> c.contains(" off "), "no call on an event loop");
  }
}
