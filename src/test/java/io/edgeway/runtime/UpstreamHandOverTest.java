package io.edgeway.runtime;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.proxy.Upstream;
import io.edgeway.proxy.UpstreamResources;
import io.edgeway.proxy.UpstreamTarget;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.RawUpstream;
import io.edgeway.testing.TestGateway;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload that changes a route's {@code upstream:} block hands each unchanged target's state over
 * to the new upstream: its connection pool (counted as connections accepted by a raw upstream), its
 * outlier ejection; removed targets release theirs. Alternating two such configurations 100 times
 * leaks no upstream, loop share, connection, file descriptor or thread.
 */
class UpstreamHandOverTest {

  static {
    // Netty's first pooled chunk initialises its JFR event classes, which takes seconds on a
    // loaded machine: done here, on the test thread, not inside a test on an event loop.
    io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(1).release();
  }

  private static final String HEAD = """
      server: { host: 127.0.0.1, port: 0, instances: 1, drain-delay: 0s, reload: { watch: false } }
      admin: { host: 127.0.0.1, port: 0 }
      """;

  @TempDir Path dir;
  private Vertx vertx;
  private RawUpstream failing;
  private RawUpstream steady;
  private RawUpstream added;
  private TestGateway gateway;
  private HttpClient client;
  private Path file;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    failing = RawUpstream.start().respondWith("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nfail");
    steady = RawUpstream.start();
    added = RawUpstream.start();
    file = dir.resolve("edgeway.yaml");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    failing.close();
    steady.close();
    added.close();
  }

  private static String route(String responseTimeout, List<RawUpstream> targets, String extra) {
    StringBuilder list = new StringBuilder();
    for (RawUpstream t : targets) {
      list.append(list.isEmpty() ? "" : ", ").append("{ url: \"").append(t.url()).append("\" }");
    }
    return """
        routes:
          - id: api
            match: { path: /api/** }
            upstream:
              targets: [ %s ]
              timeouts: { response: %s }
              outlier-detection: { consecutive-failures: 2, base-ejection: 1h }
        %s""".formatted(list, responseTimeout, extra);
  }

  private void start(String routes) throws Exception {
    Files.writeString(file, HEAD + routes);
    gateway = TestGateway.startFromFile(vertx, file, List.of());
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  private void reloadTo(String routes) throws Exception {
    Files.writeString(file, HEAD + routes);
    ConfigReloader.Result result = gateway.gateway().reloader().reload("test").await(30, TimeUnit.SECONDS);
    assertThat(result.attempt().outcome()).as(result.attempt().errors().toString())
        .isEqualTo(ConfigReloadStats.Outcome.APPLIED);
  }

  private int get(String path) throws Exception {
    return OnContext.await(vertx, () -> client.request(HttpMethod.GET, path)
        .compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode())), 30);
  }

  private Upstream upstream() {
    return gateway.gateway().runtime().snapshot().routes().get(0).upstream();
  }

  private UpstreamTarget target(RawUpstream at) {
    return upstream().targets().stream().filter(t -> t.url().equals(at.url())).findFirst().orElseThrow();
  }

  private static long open(RawUpstream upstream) {
    return upstream.connections().stream().filter(c -> !c.closed()).count();
  }

  @Test
  void unchangedTargetsKeepTheirPoolAndEjectionRemovedOnesReleaseTheirs() throws Exception {
    start(route("5s", List.of(failing, steady), ""));
    // Round robin: the failing target answers 500 twice in a row and is ejected for an hour.
    for (int i = 0; i < 4; i++) {
      get("/api/x");
    }
    assertThat(target(failing).isEjected()).isTrue();
    assertThat(failing.completeRequests()).hasSize(2);
    assertThat(get("/api/x")).isEqualTo(200);
    assertThat(steady.connections()).as("one pooled keep-alive connection").hasSize(1);
    UpstreamTarget failingBefore = target(failing);
    Upstream before = upstream();

    // A target added and the response timeout changed: a new upstream, the same target objects.
    reloadTo(route("6s", List.of(failing, steady, added), ""));
    assertThat(upstream()).isNotSameAs(before);
    assertThat(target(failing)).isSameAs(failingBefore);
    assertThat(target(failing).isEjected()).as("the ejected target stays ejected").isTrue();
    JsonObject failingState = targetState(failing);
    assertThat(failingState.getBoolean("ejected")).isTrue();
    assertThat(failingState.getJsonObject("outlierDetection").getLong("ejections"))
        .as("the new monitor carries the ejection over").isEqualTo(1);
    assertThat(failingState.getJsonObject("outlierDetection").getString("ejectedUntil")).isNotNull();
    assertThat(targetState(steady).getJsonObject("pool").getInteger("open"))
        .as("the new upstream holds the old pool before any request").isEqualTo(1);
    int steadyBefore = steady.completeRequests().size();
    for (int i = 0; i < 6; i++) {
      assertThat(get("/api/x")).isEqualTo(200);
    }
    assertThat(failing.completeRequests()).as("no request reaches the ejected target").hasSize(2);
    assertThat(steady.completeRequests().size() - steadyBefore + added.completeRequests().size()).isEqualTo(6);
    assertThat(added.completeRequests()).isNotEmpty();
    assertThat(steady.connections()).as("the unchanged target served on its pooled connection").hasSize(1);
    assertThat(steady.connections().get(0).requests()).hasSize(steady.completeRequests().size());

    // The failing target removed: its pool closes its connections.
    reloadTo(route("6s", List.of(steady, added), ""));
    awaitTrue(() -> open(failing) == 0, "the removed target's connections closed");
    assertThat(get("/api/x")).isEqualTo(200);
    assertThat(get("/api/x")).isEqualTo(200);
    assertThat(steady.connections()).hasSize(1);
    assertThat(added.connections()).hasSize(1);
  }

  @Test
  void changedPoolSettingsStartAFreshPool() throws Exception {
    start(route("5s", List.of(steady), ""));
    assertThat(get("/api/x")).isEqualTo(200);
    assertThat(steady.connections()).hasSize(1);
    reloadTo(route("5s", List.of(steady), "      pool: { max-connections: 7 }\n"));
    assertThat(get("/api/x")).isEqualTo(200);
    assertThat(steady.connections()).as("a pool built for other settings opens its own connection").hasSize(2);
    awaitTrue(() -> open(steady) == 1, "the old pool's connection closed");
  }

  @Test
  void alternatingTwoUpstreamBlocksAHundredTimesLeaksNothing() throws Exception {
    String one = route("5s", List.of(steady), "");
    String two = route("6s", List.of(steady, added), "");
    start(one);
    UpstreamResources resources = gateway.gateway().runtime().upstreamResources();
    long fdsAfterFirstRound = -1;
    int threadsAfterFirstRound = -1;
    for (int i = 1; i <= 100; i++) {
      reloadTo(i % 2 == 1 ? two : one);
      assertThat(get("/api/x")).isEqualTo(200);
      assertThat(get("/api/x")).isEqualTo(200);
      if (i == 2) {
        fdsAfterFirstRound = openFileDescriptors();
        threadsAfterFirstRound = Thread.activeCount();
      }
    }
    assertThat(steady.connections()).as("one connection to the unchanged target over 100 reloads").hasSize(1);
    assertThat(added.connections().size()).as("the added target: a fresh pool each time it comes back")
        .isEqualTo(50);
    awaitTrue(() -> open(added) == 0, "the removed target's connections closed");
    assertThat(resources.liveUpstreams()).as("upstreams (each with its monitor and timers)").isEqualTo(1);
    awaitTrue(() -> resources.liveLoops() == 1 && resources.openConnections() == 1,
        "retired loop shares (each with its eviction timer) closed: " + resources.liveLoops() + " loops, "
            + resources.openConnections() + " connections");
    long fds = openFileDescriptors();
    if (fdsAfterFirstRound >= 0) {
      assertThat(fds).as("open file descriptors (after the second reload: %d)", fdsAfterFirstRound)
          .isLessThanOrEqualTo(fdsAfterFirstRound + 8);
    }
    assertThat(Thread.activeCount()).as("threads").isLessThanOrEqualTo(threadsAfterFirstRound + 4);
    System.out.printf("hand-over leak: 100 reloads, %d connections to the unchanged target, %d upstreams, "
        + "%d loop shares, %d open connections, fds %d (after the second reload %d)%n", steady.connections().size(),
        resources.liveUpstreams(), resources.liveLoops(), resources.openConnections(), fds, fdsAfterFirstRound);
  }

  /** The target's entry of GET /upstreams. */
  private JsonObject targetState(RawUpstream at) throws Exception {
    return admin("/upstreams").getJsonArray("upstreams").getJsonObject(0).getJsonArray("targets").stream()
        .map(JsonObject.class::cast).filter(t -> t.getString("url").equals(at.url())).findFirst().orElseThrow();
  }

  private JsonObject admin(String path) throws Exception {
    return OnContext.await(vertx, () -> client.request(HttpMethod.GET, gateway.adminPort(), "127.0.0.1", path)
        .compose(req -> req.send()).compose(resp -> resp.body().map(b -> new JsonObject(b.toString()))), 30);
  }

  private static long openFileDescriptors() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    try (Stream<Path> list = Files.list(fds)) {
      return list.count();
    }
  }

  /** Bounded wait for a background release (a pool draining on its loop). */
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
