package io.edgeway.ratelimit;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.runtime.ConfigReloadStats.Outcome;
import io.edgeway.runtime.ConfigReloader;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.edgeway.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
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
 * {@code rate-limit-store} reloads live against a real redis-server: a switch from per-node
 * buckets to Redis connects before the swap (the first request after it already counts in Redis),
 * an unreachable Redis refuses the reload and the running store serves on, and a switch away
 * closes the old connection only after the last request of the old snapshot ended.
 */
class RateLimitStoreReloadTest {
  private static final String HEAD = """
      server: { host: 127.0.0.1, port: 0, instances: 1, drain-delay: 0s, reload: { watch: false } }
      admin: { host: 127.0.0.1, port: 0 }
      """;

  @TempDir Path dir;
  private Vertx vertx;
  private TestUpstream upstream;
  private RedisServer redis;
  private RedisClient redisClient;
  private StatefulRedisConnection<String, String> redisConnection;
  private TestGateway gateway;
  private Path file;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
    upstream.respondWith(TestUpstream::echo);
    redis = RedisServer.start(dir.resolve("redis"));
    redisClient = RedisClient.create(redis.uri());
    redisConnection = redisClient.connect();
    file = dir.resolve("edgeway.yaml");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    redisConnection.close();
    redisClient.shutdown();
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  private String config(String store, String scope) {
    return HEAD + store + """
        routes:
          - id: api
            match: { path: /api/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - rate-limit:
                  key: header:X-Client
                  limits: [ { capacity: 3, period: 1h } ]
                  scope: %s
                  on-store-failure: deny
        """.formatted(upstream.url(), scope);
  }

  private String redisStore(String url) {
    // A generous command timeout: with on-store-failure: deny, a first call slowed past it (a
    // loaded CI machine, cold code) answers 503 and never reaches the upstream.
    return "rate-limit-store:\n  redis: { url: \"" + url + "\", timeout: 10s, connect-timeout: 500ms }\n";
  }

  private void write(String text) throws Exception {
    Path temp = Files.createTempFile(dir, "edgeway", ".tmp");
    Files.writeString(temp, text);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private ConfigReloader.Result reload() throws Exception {
    return gateway.gateway().reloader().reload("test").toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  private JsonObject store(GatewayClient admin) throws Exception {
    return admin.get("/ratelimit").json().getJsonObject("store");
  }

  /** Clients connected to the Redis server, this test's own connection included. */
  private int redisClients() {
    String info = redisConnection.sync().info("clients");
    return info.lines().filter(l -> l.startsWith("connected_clients:"))
        .mapToInt(l -> Integer.parseInt(l.substring("connected_clients:".length()).trim())).findFirst().orElseThrow();
  }

  private void awaitRedisClients(int expected, String why) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (redisClients() != expected) {
      assertThat(System.nanoTime()).as(why + " (connected: " + redisClients() + ")").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void aSwitchFromNodeBucketsToRedisConnectsBeforeTheSwapAndCountsInRedis() throws Exception {
    write(config("", "node"));
    gateway = TestGateway.startFromFile(vertx, file, List.of());
    GatewayClient client = new GatewayClient(vertx, gateway.port());
    GatewayClient admin = new GatewayClient(vertx, gateway.adminPort());
    assertThat(client.get("/api/x", "X-Client", "a").status()).isEqualTo(200);
    assertThat(store(admin).getString("kind")).isEqualTo("local");
    assertThat(redisClients()).isEqualTo(1);

    write(config(redisStore(redis.uri()), "cluster"));
    ConfigReloader.Result result = reload();
    assertThat(result.attempt().outcome()).as(result.attempt().errors().toString()).isEqualTo(Outcome.APPLIED);
    // Connected before the swap: no wait, no degraded first requests.
    assertThat(store(admin).getString("kind")).isEqualTo("redis");
    assertThat(store(admin).getBoolean("connected")).isTrue();
    assertThat(redisClients()).isEqualTo(2);

    int before = upstream.count();
    for (int i = 0; i < 3; i++) {
      assertThat(client.get("/api/x", "X-Client", "b").status()).isEqualTo(200);
    }
    assertThat(client.get("/api/x", "X-Client", "b").status()).isEqualTo(429);
    assertThat(upstream.count()).as("the upstream got the allowed requests only").isEqualTo(before + 3);
    assertThat(redisConnection.sync().keys("edgeway:rl:*")).as("the buckets live in Redis").isNotEmpty();
  }

  @Test
  void anUnreachableRedisRefusesTheReloadAndTheRunningStoreServesOn() throws Exception {
    write(config(redisStore(redis.uri()), "cluster"));
    gateway = TestGateway.startFromFile(vertx, file, List.of());
    GatewayClient client = new GatewayClient(vertx, gateway.port());
    GatewayClient admin = new GatewayClient(vertx, gateway.adminPort());
    awaitRedisClients(2, "the gateway connected at start-up");
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    write(config(redisStore("redis://127.0.0.1:" + closedPort), "cluster"));
    ConfigReloader.Result result = reload();
    assertThat(result.attempt().outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.attempt().errors()).singleElement().asString()
        .startsWith(file + ":")
        .contains(": rate-limit-store.redis.url: 127.0.0.1:" + closedPort + ": not connected within connect-timeout 500 ms")
        .endsWith("(expected: a reachable Redis before the reload switches stores)");
    assertThat(store(admin).getString("address")).isEqualTo("127.0.0.1:" + redis.port());
    assertThat(store(admin).getBoolean("connected")).isTrue();
    for (int i = 0; i < 3; i++) {
      assertThat(client.get("/api/x", "X-Client", "c").status()).isEqualTo(200);
    }
    assertThat(client.get("/api/x", "X-Client", "c").status()).as("the running Redis store counts").isEqualTo(429);
    assertThat(redisClients()).as("nothing of the refused store stays connected here").isEqualTo(2);
  }

  @Test
  void aSwitchAwayClosesTheOldConnectionOnlyAfterTheOldSnapshotsLastRequest() throws Exception {
    write(config(redisStore(redis.uri()), "cluster"));
    gateway = TestGateway.startFromFile(vertx, file, List.of());
    GatewayClient client = new GatewayClient(vertx, gateway.port());
    GatewayClient admin = new GatewayClient(vertx, gateway.adminPort());
    awaitRedisClients(2, "the gateway connected at start-up");

    // One request passes the limit (Redis) and waits at the upstream while the store is switched.
    CompletableFuture<HttpServerRequest> held = new CompletableFuture<>();
    upstream.respondWith(held::complete);
    Future<GatewayClient.Reply> inFlight = client.send("/api/x", "X-Client", "d");
    CompletableFuture.anyOf(held, inFlight.toCompletionStage().toCompletableFuture()).get(20, TimeUnit.SECONDS);
    assertThat(held).as("the request reached the upstream (the gateway answered it itself: %s)",
        inFlight.succeeded() ? inFlight.result().status() + " " + inFlight.result().body()
            : String.valueOf(inFlight.cause())).isDone();
    HttpServerRequest atUpstream = held.get();

    write(config("", "node"));
    assertThat(reload().attempt().outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(store(admin).getString("kind")).isEqualTo("local");
    assertThat(redisClients()).as("a request of the old snapshot still runs: its store stays open").isEqualTo(2);

    upstream.respondWith(TestUpstream::echo);
    vertx.runOnContext(v -> atUpstream.response().end("late"));
    assertThat(inFlight.await(20, TimeUnit.SECONDS).status()).isEqualTo(200);
    awaitRedisClients(1, "the old store closes once the old snapshot drained");
    assertThat(client.get("/api/x", "X-Client", "d").status()).as("node buckets now").isEqualTo(200);
  }
}
