package io.edgeway.ratelimit;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.OtlpReceiver;
import io.edgeway.testing.RecordingStateEvents;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.edgeway.testsupport.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster scope with a real redis-server process shared by real gateways on loopback. */
class RedisRateLimitEndToEndTest {
  @TempDir
  Path tempDir;

  private Vertx vertx;
  private TestUpstream upstream;
  private RedisServer redis;
  private final List<TestGateway> gateways = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
    redis = RedisServer.start(tempDir.resolve("redis"));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (TestGateway gateway : gateways) {
      gateway.close();
    }
    upstream.close();
    vertx.close().await();
    redis.close();
  }

  private TestGateway start(String yaml) throws Exception {
    return start(null, yaml);
  }

  private TestGateway start(RecordingStateEvents stateEvents, String yaml) throws Exception {
    TestGateway gateway = stateEvents == null ? TestGateway.start(vertx, yaml)
        : TestGateway.start(vertx, yaml, java.util.List.of(stateEvents));
    gateways.add(gateway);
    return gateway;
  }

  private static JsonObject store(GatewayClient admin) throws Exception {
    return admin.get("/ratelimit").json().getJsonObject("store");
  }

  /** Polls (bounded) until the gateway's store connection is up. */
  private static void awaitConnected(GatewayClient admin) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!store(admin).getBoolean("connected")) {
      assertThat(System.nanoTime()).as("store connected in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** A gateway with one route, /api/**, limited per X-Client in cluster scope (deny) on the given store. */
  private String limitedPerClient(String redisStore, int capacity) {
    return """
        rate-limit-store:
          redis: %s
        routes:
          - id: api
            match: { path: /api/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - rate-limit:
                  key: header:X-Client
                  limits: [ { capacity: %d, period: 1h } ]
                  scope: cluster
                  on-store-failure: deny
        """.formatted(redisStore, upstream.url(), capacity);
  }

  /** Polls (bounded) what a Sentinel says, through Lettuce's Sentinel API. */
  private static <T> T awaitSentinel(RedisServer sentinel, String what,
      java.util.function.Function<io.lettuce.core.sentinel.api.sync.RedisSentinelCommands<String, String>, T> query,
      java.util.function.Predicate<T> done) throws Exception {
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create();
    try (var connection = client.connectSentinel(io.lettuce.core.RedisURI.create(sentinel.uri()))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        T value = query.apply(connection.sync());
        if (done.test(value)) {
          return value;
        }
        assertThat(System.nanoTime()).as(what + " in time (last: " + value + ")").isLessThan(deadline);
        Thread.sleep(100);
      }
    } finally {
      client.shutdown();
    }
  }

  @Test
  void throughSentinelTheLimitHoldsAndFollowsTheMasterThroughAFailover() throws Exception {
    RedisServer replica = RedisServer.startReplica(tempDir.resolve("replica"), redis);
    RedisServer sentinel = RedisServer.startSentinel(tempDir.resolve("sentinel"), redis, "edgeway");
    try {
      awaitSentinel(sentinel, "the sentinel sees the replica", c -> c.replicas("edgeway").size(), n -> n == 1);
      TestGateway gateway = start(limitedPerClient(
          "{ url: \"redis-sentinel://127.0.0.1:" + sentinel.port() + "#edgeway\", timeout: 2s, cool-down: 200ms }", 3));
      GatewayClient admin = new GatewayClient(vertx, gateway.adminPort());
      awaitConnected(admin);
      assertThat(store(admin).getString("deployment")).isEqualTo("sentinel");
      assertThat(store(admin).getString("address")).isEqualTo("127.0.0.1:" + sentinel.port() + "#edgeway");
      GatewayClient client = new GatewayClient(vertx, gateway.port());
      for (int i = 0; i < 3; i++) {
        assertThat(client.get("/api/x", "X-Client", "before").status()).isEqualTo(200);
      }
      assertThat(client.get("/api/x", "X-Client", "before").status()).isEqualTo(429);

      // The master dies; Sentinel promotes the replica, and the gateway follows it.
      redis.kill();
      awaitSentinel(sentinel, "the replica promoted", c -> c.getMasterAddrByName("edgeway").toString(),
          address -> address.endsWith(":" + replica.port()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int status = 0;
      while (status != 200) {
        // Until the gateway reconnected to the new master, deny answers 503; bounded.
        assertThat(System.nanoTime()).as("the gateway follows the new master in time").isLessThan(deadline);
        status = client.get("/api/x", "X-Client", "after").status();
        if (status != 200) {
          assertThat(status).isEqualTo(503);
          Thread.sleep(100);
        }
      }
      for (int i = 0; i < 2; i++) {
        assertThat(client.get("/api/x", "X-Client", "after").status()).isEqualTo(200);
      }
      assertThat(client.get("/api/x", "X-Client", "after").status()).isEqualTo(429);
      // The bucket lives in the new master: Redis, not a node-local fallback, decided.
      io.lettuce.core.RedisClient direct = io.lettuce.core.RedisClient.create(replica.uri());
      try (var connection = direct.connect()) {
        assertThat(connection.sync().keys("edgeway:rl:*")).anyMatch(k -> k.contains("after"));
      } finally {
        direct.shutdown();
      }
    } finally {
      sentinel.close();
      replica.close();
    }
  }

  @Test
  void twoGatewaysOnARedisClusterAdmitEachKeysLimitWithBucketsSpreadOverTheNodes() throws Exception {
    List<RedisServer> nodes = RedisServer.startCluster(tempDir.resolve("cluster"), 3);
    try {
      String yaml = limitedPerClient("{ url: \"" + nodes.get(0).uri() + "\", cluster: true, timeout: 2s }", 2);
      List<GatewayClient> gateways = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        TestGateway gateway = start(yaml);
        GatewayClient admin = new GatewayClient(vertx, gateway.adminPort());
        awaitConnected(admin);
        assertThat(store(admin).getString("deployment")).isEqualTo("cluster");
        gateways.add(new GatewayClient(vertx, gateway.port()));
      }
      // Twelve callers, each sending three requests alternately through the two gateways: the
      // third is refused wherever it lands, whichever node holds the caller's bucket.
      for (int client = 0; client < 12; client++) {
        String id = "client-" + client;
        assertThat(gateways.get(0).get("/api/x", "X-Client", id).status()).as(id).isEqualTo(200);
        assertThat(gateways.get(1).get("/api/x", "X-Client", id).status()).as(id).isEqualTo(200);
        assertThat(gateways.get(client % 2).get("/api/x", "X-Client", id).status()).as(id).isEqualTo(429);
      }
      assertThat(upstream.count()).isEqualTo(24);
      // The buckets really are spread: more than one node holds some.
      int nodesWithBuckets = 0;
      for (RedisServer node : nodes) {
        io.lettuce.core.RedisClient direct = io.lettuce.core.RedisClient.create(node.uri());
        try (var connection = direct.connect()) {
          if (connection.sync().dbsize() > 0) {
            nodesWithBuckets++;
          }
        } finally {
          direct.shutdown();
        }
      }
      assertThat(nodesWithBuckets).isGreaterThan(1);
    } finally {
      for (RedisServer node : nodes) {
        node.close();
      }
    }
  }

  @Test
  void aTracedRequestRecordsTheRedisRoundTripAsAChildSpan() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start(vertx)) {
      TestGateway gateway = start("tracing: { endpoint: \"" + receiver.endpoint() + "\", export-interval: 50ms }\n"
          + limitedPerClient("{ url: \"" + redis.uri() + "\", timeout: 2s }", 5));
      awaitConnected(new GatewayClient(vertx, gateway.adminPort()));
      String trace = "5bf92f3577b34da6a3ce929d0e0e4736";
      GatewayClient.Reply reply = new GatewayClient(vertx, gateway.port())
          .send("/api/x", "X-Client", "a", "traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
          .await(20, TimeUnit.SECONDS);
      assertThat(reply.status()).isEqualTo(200);
      List<OtlpReceiver.ReceivedSpan> spans = receiver.awaitTrace(trace, 3);
      OtlpReceiver.ReceivedSpan server = spans.stream()
          .filter(s -> s.kind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
      assertThat(spans).filteredOn(s -> s.name().equals("redis rate-limit")).singleElement()
          .satisfies(redisSpan -> {
            assertThat(redisSpan.parentSpanId()).isEqualTo(server.spanId());
            assertThat(redisSpan.attributes()).containsEntry("db.system.name", "redis")
                .containsEntry("edgeway.rate_limit.consumed", "true").doesNotContainKey("error.type");
          });
      // Stopped while its collector is still there (the last export would otherwise retry).
      gateway.close();
      gateways.remove(gateway);
    }
  }

  @Test
  void threeGatewaysSharingRedisAdmitExactlyTheLimit() throws Exception {
    String yaml = """
        rate-limit-store:
          redis: { url: "%s", timeout: 2s }
        routes:
          - id: search
            match: { path: /search/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - rate-limit:
                  key: ip
                  limits: [ { capacity: 100, period: 1h } ]
                  scope: cluster
                  on-store-failure: deny
        """.formatted(redis.uri(), upstream.url());
    List<GatewayClient> clients = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TestGateway gateway = start(yaml);
      awaitConnected(new GatewayClient(vertx, gateway.adminPort()));
      clients.add(new GatewayClient(vertx, gateway.port()));
    }
    // 3x the limit, spread round-robin over the three nodes, 30 requests in flight at a time.
    int admitted = 0;
    int limited = 0;
    int other = 0;
    for (int batch = 0; batch < 10; batch++) {
      List<Future<GatewayClient.Reply>> inFlight = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        inFlight.add(clients.get(i % 3).send("/search/q"));
      }
      for (Future<GatewayClient.Reply> f : inFlight) {
        int status = f.await(30, TimeUnit.SECONDS).status();
        if (status == 200) {
          admitted++;
        } else if (status == 429) {
          limited++;
        } else {
          other++;
        }
      }
    }
    assertThat(other).as("no store failures").isZero();
    // Refill over the test adds far less than one token (100 per hour): the limit, exactly.
    assertThat(admitted).isEqualTo(100);
    assertThat(limited).isEqualTo(200);
    assertThat(upstream.count()).isEqualTo(100);
  }

  @Test
  void redisDownAllowFallsBackPerNodeDenyAnswers503AndRedisBackResumesClusterLimits() throws Exception {
    RecordingStateEvents stateEvents = new RecordingStateEvents();
    TestGateway gateway = start(stateEvents, """
        rate-limit-store:
          redis: { url: "%s", timeout: 200ms, failure-threshold: 1, cool-down: 100ms }
        routes:
          - id: open
            match: { path: /open/** }
            upstream: { targets: [ { url: %2$s } ] }
            filters:
              - rate-limit: { scope: cluster, on-store-failure: allow, limits: [ { capacity: 3, period: 1h } ] }
          - id: closed
            match: { path: /closed/** }
            upstream: { targets: [ { url: %2$s } ] }
            filters:
              - rate-limit: { scope: cluster, on-store-failure: deny, limits: [ { capacity: 3, period: 1h } ] }
        """.formatted(redis.uri(), upstream.url()));
    GatewayClient client = new GatewayClient(vertx, gateway.port());
    GatewayClient admin = new GatewayClient(vertx, gateway.adminPort());
    awaitConnected(admin);

    GatewayClient.Reply before = client.get("/open/1");
    assertThat(before.status()).isEqualTo(200);
    assertThat(before.headers().contains("RateLimit-Degraded")).isFalse();
    assertThat(before.headers().get("RateLimit")).startsWith("\"default\";r=2;");
    assertThat(client.get("/closed/1").status()).isEqualTo(200);

    redis.kill();

    // allow: a per-node bucket with the same limits (fresh: 3 tokens), marked degraded.
    for (int i = 0; i < 3; i++) {
      GatewayClient.Reply degraded = client.get("/open/1");
      assertThat(degraded.status()).isEqualTo(200);
      assertThat(degraded.headers().get("RateLimit-Degraded")).isEqualTo("true");
    }
    GatewayClient.Reply nodeLimited = client.get("/open/1");
    assertThat(nodeLimited.status()).isEqualTo(429);
    assertThat(nodeLimited.headers().get("RateLimit-Degraded")).isEqualTo("true");
    // deny: 503, no upstream call.
    int upstreamBefore = upstream.count();
    GatewayClient.Reply denied = client.get("/closed/1");
    assertThat(denied.status()).isEqualTo(503);
    assertThat(denied.json().getString("code")).isEqualTo("rate_limit_unavailable");
    assertThat(upstream.count()).isEqualTo(upstreamBefore);
    JsonObject down = store(admin);
    assertThat(down.getBoolean("degraded")).isTrue();
    assertThat(down.getString("kind")).isEqualTo("redis");
    assertThat(down.getString("deployment")).isEqualTo("standalone");
    assertThat(down.getJsonObject("breaker").getString("state")).isIn("open", "half-open");
    assertThat(down.getJsonObject("breaker").getInteger("failureThreshold")).isPositive();
    assertThat(stateEvents.await("ratelimit.degraded", 10).data()).containsEntry("store", "redis");
    assertThat(admin.get("/ratelimit").json().getJsonObject("decisions").getLong("unavailable")).isPositive();

    redis.restart();

    // Without a gateway restart: the deny route answers again once the store is back.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    GatewayClient.Reply resumed;
    while ((resumed = client.get("/closed/1")).status() == 503) {
      assertThat(System.nanoTime()).as("cluster limits resumed in time").isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(resumed.status()).isEqualTo(200);
    assertThat(resumed.headers().contains("RateLimit-Degraded")).isFalse();
    assertThat(store(admin).getBoolean("degraded")).isFalse();
    assertThat(store(admin).getJsonObject("breaker").getString("state")).isEqualTo("closed");
    assertThat(stateEvents.await("ratelimit.recovered", 10).data()).containsEntry("store", "redis");
    assertThat(stateEvents.recorded().stream().filter(e -> e.type().equals("ratelimit.degraded")).count())
        .as("one event per transition, not per request").isEqualTo(1);
    // The restarted Redis is empty: the open route's cluster bucket starts full again, not degraded.
    for (int i = 2; i >= 0; i--) {
      GatewayClient.Reply ok = client.get("/open/1");
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.headers().contains("RateLimit-Degraded")).isFalse();
      assertThat(ok.headers().get("RateLimit")).startsWith("\"default\";r=" + i + ";");
    }
    GatewayClient.Reply clusterLimited = client.get("/open/1");
    assertThat(clusterLimited.status()).isEqualTo(429);
    assertThat(clusterLimited.headers().contains("RateLimit-Degraded")).isFalse();
  }

  @Test
  void redisDownAtStartUpDoesNotStopTheGateway() throws Exception {
    redis.kill();
    TestGateway gateway = start("""
        rate-limit-store:
          redis: { url: "%s", timeout: 100ms, cool-down: 100ms }
        routes:
          - id: open
            match: { path: /open/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - rate-limit: { scope: cluster, limits: [ { capacity: 2, period: 1h } ] }
        """.formatted(redis.uri(), upstream.url()));
    GatewayClient client = new GatewayClient(vertx, gateway.port());
    GatewayClient.Reply reply = client.get("/open/1");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers().get("RateLimit-Degraded")).isEqualTo("true");
    redis.restart();
    GatewayClient admin = new GatewayClient(vertx, gateway.adminPort());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (client.get("/open/1", "X-Probe", "1").headers().contains("RateLimit-Degraded")
        || !store(admin).getBoolean("connected")) {
      assertThat(System.nanoTime()).as("connected after Redis came up").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
