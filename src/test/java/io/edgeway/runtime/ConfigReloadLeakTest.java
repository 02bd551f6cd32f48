package io.edgeway.runtime;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.proxy.UpstreamResources;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 reloads that remove and add routes carrying every kind of route state (upstream pools,
 * health-check timers and clients, outlier detection, breakers, retry counters, rate-limit buckets,
 * cache entries), with traffic on every route between reloads: afterwards only the last
 * configuration's routes hold anything, and the process holds no more file descriptors or threads
 * than after the first round.
 */
class ConfigReloadLeakTest {

  static {
    // Netty's first pooled chunk initialises its JFR event classes, which takes seconds on a
    // loaded machine: done here, on the test thread, not inside a test on an event loop.
    io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(1).release();
  }
  private static final int RELOADS = 100;

  @TempDir Path dir;

  private static String config(String upstream, String a, String b) {
    StringBuilder out = new StringBuilder("""
        server: { host: 127.0.0.1, port: 0, instances: 2, drain-delay: 0s, reload: { watch: false } }
        admin: { host: 127.0.0.1, port: 0 }
        routes:
          - id: keep
            match: { path: /keep/** }
            upstream: { targets: [ { url: "%s" } ] }
        """.formatted(upstream));
    for (String id : List.of(a, b)) {
      out.append("""
            - id: %s
              match: { path: /%s/** }
              upstream:
                targets: [ { url: "%s" } ]
                health-check: { path: /health, interval: 1s }
                outlier-detection: { consecutive-failures: 5 }
              filters:
                - rate-limit: { key: route, limits: [ { capacity: 1000, period: 1m } ] }
                - cache: { ttl: 60s }
                - circuit-breaker: { consecutive-failures: 50 }
                - retry: { attempts: 2 }
            """.formatted(id, id, upstream).indent(2));
    }
    return out.toString();
  }

  @Test
  void reloadsThatReplaceRoutesReleaseEverythingTheRemovedRoutesHeld() throws Exception {
    Vertx vertx = TestVertx.create();
    try (TestUpstream upstream = TestUpstream.start(vertx)) {
      upstream.respondWith(req -> req.response().putHeader("Cache-Control", "max-age=60").end("ok"));
      Path file = dir.resolve("edgeway.yaml");
      Files.writeString(file, config(upstream.url(), "a0", "b0"));
      TestGateway gateway = TestGateway.startFromFile(vertx, file, List.of());
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(gateway.port()));
      GatewayRuntime runtime = gateway.gateway().runtime();
      UpstreamResources resources = runtime.upstreamResources();
      long fdsAfterFirstRound = -1;
      int threadsAfterFirstRound = -1;
      try {
        for (int i = 1; i <= RELOADS; i++) {
          String a = "a" + i;
          String b = "b" + i;
          Files.writeString(file, config(upstream.url(), a, b));
          ConfigReloader.Result result = gateway.gateway().reloader().reload("test").await(30, TimeUnit.SECONDS);
          assertThat(result.attempt().outcome()).as("reload %d: %s", i, result.attempt().errors())
              .isEqualTo(ConfigReloadStats.Outcome.APPLIED);
          for (String path : List.of("/keep/x", "/" + a + "/x", "/" + b + "/x")) {
            int status = OnContext.await(vertx, () -> client.request(HttpMethod.GET, path)
                .compose(req -> req.send()).compose(resp -> resp.body().map(x -> resp.statusCode())), 30);
            assertThat(status).as(path).isEqualTo(200);
          }
          if (i == 1) {
            fdsAfterFirstRound = openFileDescriptors();
            threadsAfterFirstRound = Thread.activeCount();
          }
        }

        // Every upstream but the three of the last file was closed, with its monitor (health-check
        // timer and client); retired per-loop shares close once their last exchange ended.
        assertThat(resources.liveUpstreams()).isEqualTo(3);
        awaitTrue(() -> resources.liveLoops() <= 3 * 2 && resources.openConnections() <= 3 * 2, "pools drained: "
            + resources.liveLoops() + " loops, " + resources.openConnections() + " connections");
        JsonObject config = admin(vertx, client, gateway, "/config");
        assertThat(config.getJsonObject("upstreamResources").getInteger("upstreams")).isEqualTo(3);
        assertThat(config.getJsonObject("reloads").getLong("succeeded")).isEqualTo(RELOADS);

        List<Object> breakers = admin(vertx, client, gateway, "/circuit-breakers").getJsonArray("circuitBreakers")
            .stream().map(b -> ((JsonObject) b).getString("route")).map(Object.class::cast).toList();
        assertThat(breakers).containsExactlyInAnyOrder("a" + RELOADS, "b" + RELOADS);
        assertThat(admin(vertx, client, gateway, "/retries").getJsonObject("retries").fieldNames())
            .containsExactlyInAnyOrder("a" + RELOADS, "b" + RELOADS);
        assertThat(admin(vertx, client, gateway, "/ratelimit").getLong("nodeBuckets")).isEqualTo(2);
        awaitTrue(() -> cachedRoutes(vertx, client, gateway).equals(java.util.Set.of("a" + RELOADS, "b" + RELOADS)),
            "cache entries of removed routes purged");

        long fds = openFileDescriptors();
        if (fdsAfterFirstRound >= 0) {
          assertThat(fds).as("open file descriptors after %d reloads (after the first: %d)", RELOADS,
              fdsAfterFirstRound).isLessThanOrEqualTo(fdsAfterFirstRound + 8);
        }
        assertThat(Thread.activeCount()).as("threads").isLessThanOrEqualTo(threadsAfterFirstRound + 4);
        System.out.printf("reload leak: after %d reloads %d upstreams, %d loop shares, %d connections; fds %d "
            + "(after the first reload %d), threads %d (%d)%n", RELOADS, resources.liveUpstreams(),
            resources.liveLoops(), resources.openConnections(), fds, fdsAfterFirstRound, Thread.activeCount(),
            threadsAfterFirstRound);
      } finally {
        gateway.close();
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  private static java.util.Set<String> cachedRoutes(Vertx vertx, HttpClient client, TestGateway gateway) {
    try {
      JsonObject stats = admin(vertx, client, gateway, "/cache/stats");
      JsonObject routes = stats.getJsonObject("routes");
      java.util.Set<String> out = new java.util.HashSet<>();
      if (routes != null) {
        routes.fieldNames().stream().filter(r -> routes.getJsonObject(r).getLong("entries", 0L) > 0).forEach(out::add);
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject admin(Vertx vertx, HttpClient client, TestGateway gateway, String path) throws Exception {
    return OnContext.await(vertx, () -> client.request(HttpMethod.GET, gateway.adminPort(), "127.0.0.1", path)
        .compose(req -> req.send()).compose(resp -> resp.body().map(b -> new JsonObject(b.toString()))), 30);
  }

  /** Open file descriptors of this JVM (Linux), or -1 where /proc is not there. */
  private static long openFileDescriptors() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    try (Stream<Path> list = Files.list(fds)) {
      return list.count();
    }
  }

  /** Bounded wait for a background release (a pool draining on its loop, a purge on a pool thread). */
  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 20 s: " + what);
      }
      Thread.sleep(20); // polling a background release with a bounded deadline
    }
  }
}
