package io.edgeway.ratelimit;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.config.LoadedConfig;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.runtime.ConfigValidator;
import io.edgeway.runtime.Gateway;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.runtime.GatewayServices;
import io.edgeway.spi.BucketDecision;
import io.edgeway.spi.BucketLimit;
import io.edgeway.spi.SharedCache;
import io.edgeway.spi.TokenBuckets;
import io.edgeway.testing.RecordingStateEvents;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestQuotaFilterFactory;
import io.edgeway.testing.TestUpstream;
import io.edgeway.testsupport.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services a plugin shares with the gateway (io.edgeway.spi TokenBuckets, SharedCache,
 * StateEventPublisher), used by a plugin-style filter ({@link TestQuotaFilterFactory}) in real
 * gateways: per node, and through a real redis-server shared by two gateways.
 */
class PluginServicesEndToEndTest {
  @TempDir
  Path tempDir;

  private Vertx vertx;
  private TestUpstream upstream;
  private final List<TestGateway> gateways = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (TestGateway gateway : gateways) {
      gateway.close();
    }
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private String twoQuotaRoutes(String store) {
    return store + """
        routes:
          - id: a
            match: { path: /a/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - test-quota: { capacity: 2, period: 1h }
          - id: b
            match: { path: /b/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - test-quota: { capacity: 2, period: 1h }
        """.formatted(upstream.url(), upstream.url());
  }

  private TestGateway start(String yaml, RecordingStateEvents events) throws Exception {
    TestGateway gateway = TestGateway.start(vertx, yaml, events == null ? List.of() : List.of(events));
    gateways.add(gateway);
    return gateway;
  }

  @Test
  void perNodeBucketsAreSharedByTheFilterAcrossRoutesAndExhaustionIsPublishedOnce() throws Exception {
    RecordingStateEvents events = new RecordingStateEvents();
    TestGateway gateway = start(twoQuotaRoutes(""), events);
    GatewayClient client = new GatewayClient(vertx, gateway.port());

    assertThat(client.get("/a/1", "X-Client", "alice").status()).isEqualTo(200);
    assertThat(client.get("/b/1", "X-Client", "alice").status()).isEqualTo(200);
    GatewayClient.Reply refused = client.get("/a/2", "X-Client", "alice");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().getString("code")).isEqualTo("quota_exhausted");
    assertThat(Long.parseLong(refused.headers().get("Retry-After"))).isBetween(1700L, 1800L);
    assertThat(client.get("/b/2", "X-Client", "alice").status()).isEqualTo(429);
    assertThat(client.get("/a/3", "X-Client", "bob").status()).as("another client's bucket").isEqualTo(200);

    // What the upstream received: only admitted requests, each with what the bucket had left.
    assertThat(upstream.received()).extracting(r -> r.uri() + " " + r.headers().get("X-Quota-Remaining"))
        .containsExactly("/a/1 1", "/b/1 0", "/a/3 1");

    // One state event for alice's exhaustion (the shared cache remembers it was announced).
    assertThat(events.await("plugin.state-changed", 5).subject()).isEqualTo("alice");
    List<RecordingStateEvents.Recorded> plugin = events.recorded().stream()
        .filter(r -> r.type().equals("plugin.state-changed")).toList();
    assertThat(plugin).hasSize(1);
    assertThat(plugin.get(0).data()).containsEntry("plugin", "test-quota").containsEntry("route", "a")
        .containsEntry("change", "quota.exhausted");
    assertThat(plugin.get(0).data().get("data")).isEqualTo(Map.of("capacity", 2L, "retryAfterSeconds",
        ((Map<?, ?>) plugin.get(0).data().get("data")).get("retryAfterSeconds")));
    assertThat((Long) ((Map<?, ?>) plugin.get(0).data().get("data")).get("retryAfterSeconds")).isBetween(1700L, 1800L);
  }

  @Test
  void withARateLimitStoreTwoGatewaysShareThePluginsBucketsInRedis() throws Exception {
    try (RedisServer redis = RedisServer.start(tempDir.resolve("redis"))) {
      String store = """
          rate-limit-store:
            redis: { url: "%s", timeout: 2s }
          """.formatted(redis.uri());
      List<GatewayClient> clients = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        TestGateway gateway = start(twoQuotaRoutes(store), null);
        awaitConnected(new GatewayClient(vertx, gateway.adminPort()));
        clients.add(new GatewayClient(vertx, gateway.port()));
      }
      assertThat(clients.get(0).get("/a/1", "X-Client", "carol").status()).isEqualTo(200);
      assertThat(clients.get(1).get("/b/1", "X-Client", "carol").status()).isEqualTo(200);
      assertThat(clients.get(1).get("/a/2", "X-Client", "carol").status()).isEqualTo(429);
      assertThat(clients.get(0).get("/a/3", "X-Client", "carol").status()).isEqualTo(429);
      assertThat(upstream.received()).extracting(r -> r.headers().get("X-Quota-Remaining")).containsExactly("1", "0");

      // The bucket is in Redis, under the plugin's namespace and the limit's fingerprint.
      io.lettuce.core.RedisClient direct = io.lettuce.core.RedisClient.create(redis.uri());
      try (var connection = direct.connect()) {
        assertThat(connection.sync().keys("*")).containsExactly("edgeway:rl:2/3600000:p:test-quota|carol");
      } finally {
        direct.shutdown();
      }

      // Redis gone: the plugin's decision fails with the documented 503 rate_limit_unavailable,
      // which this plugin passes on (another plugin might let the request through instead).
      redis.kill();
      GatewayClient.Reply unavailable = clients.get(0).get("/a/4", "X-Client", "dave");
      assertThat(unavailable.status()).isEqualTo(503);
      assertThat(unavailable.json().getString("code")).isEqualTo("rate_limit_unavailable");
      assertThat(upstream.received()).as("nothing more went upstream").hasSize(2);
    }
  }

  /**
   * {@code --check} and the validation step of start-up create the plugin against views: with a
   * Redis store configured where nothing listens, validation still passes, the plugin finds all
   * three services, and a bucket decision is answered at once, in memory, without a connection.
   */
  @Test
  void validationGivesThePluginViewsThatOpenNoConnection() throws Exception {
    int nothingListens;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nothingListens = socket.getLocalPort();
    }
    String yaml = "server: { host: 127.0.0.1, port: 0 }\n" + twoQuotaRoutes("""
        rate-limit-store:
          redis: { url: "redis://127.0.0.1:%d" }
        """.formatted(nothingListens));
    ClassLoader loader = getClass().getClassLoader();
    List<GatewayModule> modules = Gateway.discoverModules(loader);
    ConfigValidator validator = new ConfigValidator(
        FilterRegistry.discover(List.of(loader)), modules);
    LoadedConfig loaded = validator.load("check.yaml", yaml, name -> null);
    validator.validateRoutes(vertx, loaded); // throws when test-quota could not be created

    GatewayServices views = new GatewayServices();
    modules.forEach(m -> m.registerValidationViews(loaded.config(), views));
    Future<BucketDecision> decision = views
        .find(TokenBuckets.class, "test-quota", "a").orElseThrow()
        .tryConsume("k", new BucketLimit(1, Duration.ofSeconds(1)), 1);
    assertThat(decision.succeeded()).as("answered at once, in memory").isTrue();
    assertThat(views.find(SharedCache.class, "test-quota", "a")).isPresent();
  }

  private static void awaitConnected(GatewayClient admin) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      JsonObject store = admin.get("/ratelimit").json().getJsonObject("store");
      if (store.getBoolean("connected")) {
        return;
      }
      assertThat(System.nanoTime()).as("store connected in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
