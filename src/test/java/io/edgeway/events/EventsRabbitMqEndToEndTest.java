package io.edgeway.events;

import io.edgeway.testing.TestVertx;
import static io.edgeway.events.EventsTestSupport.assertSchemaValid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.edgeway.config.ConfigLoader;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.runtime.Gateway;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestUpstream;
import io.edgeway.testsupport.RabbitMqBroker;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through a running gateway to a real RabbitMQ node (one for the class, the Debian package as a
 * plain process), asserting what a consumer of a durable queue bound to the exchanges receives.
 */
class EventsRabbitMqEndToEndTest {
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final String REQUEST_TYPE = "io.edgeway.request.completed.v1";

  @TempDir
  static Path brokerDir;
  static RabbitMqBroker rabbit;

  @TempDir
  Path tempDir;
  private Vertx vertx;
  private TestUpstream upstream;
  private final List<Gateway> gateways = new ArrayList<>();
  private String exchange;
  private String stateExchange;

  @BeforeAll
  static void startBroker() {
    rabbit = RabbitMqBroker.start(brokerDir.resolve("rabbitmq"));
  }

  @AfterAll
  static void stopBroker() {
    rabbit.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    if (!rabbit.isRunning()) {
      rabbit.restart();
    }
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
    exchange = "requests-" + UUID.randomUUID();
    stateExchange = "state-" + UUID.randomUUID();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Gateway g : gateways) {
      g.stop(Duration.ofSeconds(1)).await(30, TimeUnit.SECONDS);
    }
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Gateway start(String contentMode) throws Exception {
    String yaml = """
        server: { host: 127.0.0.1, port: 0, instances: 1 }
        admin: { host: 127.0.0.1, port: 0 }
        events:
          source: /edgeway/test
          kafka: { key: route }
          rabbitmq:
            uri: "%s"
            exchange: %s
            state-exchange: %s
            content-mode: %s
            stall-timeout: 1s
          journal: { dir: "%s", fsync: 20ms }
        routes:
          - id: users
            match: { path: /users/** }
            upstream: { targets: [ { url: "%s" } ] }
        """.formatted(rabbit.uri(), exchange, stateExchange, contentMode, tempDir.resolve("journal"), upstream.url());
    Gateway g = Gateway.start(vertx, ConfigLoader.load("test.yaml", yaml), "test.yaml",
        FilterRegistry.discover(List.of(getClass().getClassLoader())),
        Gateway.discoverModules(getClass().getClassLoader())).await(30, TimeUnit.SECONDS);
    gateways.add(g);
    return g;
  }

  /** A durable queue bound to both exchanges with {@code #}, declared before the gateway sends. */
  private String bindQueue() throws Exception {
    String queue = "q-" + UUID.randomUUID();
    try (Connection c = connect(); Channel ch = c.createChannel()) {
      for (String x : List.of(exchange, stateExchange)) {
        ch.exchangeDeclare(x, "topic", true);
      }
      ch.queueDeclare(queue, true, false, false, null);
      ch.queueBind(queue, exchange, "#");
      ch.queueBind(queue, stateExchange, "#");
    }
    return queue;
  }

  private static Connection connect() throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(rabbit.uri());
    return f.newConnection("test-consumer");
  }

  /** A message as a consumer sees it. */
  record Received(String routingKey, String exchange, Map<String, Object> headers, String contentType,
      Integer deliveryMode, String messageId, JsonNode body) {
    String ceId() {
      return messageId;
    }
  }

  /** Takes messages from {@code queue} until {@code done} holds or the deadline passes. */
  private static List<Received> drain(String queue, Predicate<List<Received>> done) throws Exception {
    return drain(queue, done, false);
  }

  /** Takes what is in {@code queue} now (every message was confirmed before: nothing is on its way). */
  private static List<Received> drainAvailable(String queue) throws Exception {
    return drain(queue, r -> false, true);
  }

  private static List<Received> drain(String queue, Predicate<List<Received>> done, boolean untilEmpty)
      throws Exception {
    List<Received> out = new ArrayList<>();
    long end = System.nanoTime() + DEADLINE.toNanos();
    try (Connection c = connect(); Channel ch = c.createChannel()) {
      while (!done.test(out) && System.nanoTime() < end) {
        GetResponse r = ch.basicGet(queue, true);
        if (r == null) {
          if (untilEmpty) {
            break;
          }
          Thread.sleep(20);
          continue;
        }
        Map<String, Object> headers = new HashMap<>();
        if (r.getProps().getHeaders() != null) {
          r.getProps().getHeaders().forEach((k, v) -> headers.put(k, v == null ? null : v.toString()));
        }
        out.add(new Received(r.getEnvelope().getRoutingKey(), r.getEnvelope().getExchange(), headers,
            r.getProps().getContentType(), r.getProps().getDeliveryMode(), r.getProps().getMessageId(),
            EventsTestSupport.JSON.readTree(new String(r.getBody(), StandardCharsets.UTF_8))));
      }
    }
    return out;
  }

  private List<String> requests(Gateway g, int n) throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(g.port()));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "req-" + UUID.randomUUID();
      int status = OnContext.await(vertx, () -> client.request(new RequestOptions().setMethod(HttpMethod.GET)
              .setURI("/users/x").addHeader("X-Request-Id", id))
          .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode()))), 20);
      assertThat(status).isEqualTo(200);
      ids.add(id);
    }
    client.close();
    return ids;
  }

  private JsonObject stats(Gateway g) throws Exception {
    HttpClient client = vertx.createHttpClient();
    try {
      return OnContext.await(vertx, () -> client.request(HttpMethod.GET, g.adminPort(), "127.0.0.1", "/events/stats")
          .compose(req -> req.send().compose(resp -> resp.body()))
          .map(b -> b.toJsonObject()), 10);
    } finally {
      client.close();
    }
  }

  private JsonObject awaitStats(Gateway g, Predicate<JsonObject> done) throws Exception {
    long end = System.nanoTime() + DEADLINE.toNanos();
    JsonObject stats = stats(g);
    while (!done.test(stats) && System.nanoTime() < end) {
      Thread.sleep(50);
      stats = stats(g);
    }
    assertThat(done.test(stats)).as("stats %s", stats).isTrue();
    return stats;
  }

  private static Predicate<List<Received>> requestIdsCovered(Set<String> ids) {
    return received -> {
      Set<String> got = new HashSet<>();
      received.forEach(r -> got.add(r.body().path("requestId").asText(r.body().path("data").path("requestId").asText())));
      return got.containsAll(ids);
    };
  }

  @Test
  void binaryModeDeliversPersistentSchemaValidCloudEventsRoutedByKey() throws Exception {
    String queue = bindQueue();
    Gateway g = start("binary");
    List<String> ids = requests(g, 5);
    List<Received> got = drain(queue, requestIdsCovered(new HashSet<>(ids)).and(r -> r.size() >= 6));
    Received config = got.stream().filter(r -> r.exchange().equals(stateExchange)).findFirst().orElseThrow();
    assertThat(config.headers()).containsEntry("cloudEvents:type", "io.edgeway.config.loaded.v1");
    assertSchemaValid("io.edgeway.config.loaded.v1", config.body());
    List<Received> requests = got.stream().filter(r -> r.exchange().equals(exchange)).toList();
    assertThat(requests).hasSize(5);
    for (Received r : requests) {
      assertThat(r.routingKey()).isEqualTo("users");
      assertThat(r.deliveryMode()).isEqualTo(2);
      assertThat(r.contentType()).isEqualTo("application/json");
      assertThat(r.headers()).containsEntry("cloudEvents:specversion", "1.0")
          .containsEntry("cloudEvents:type", REQUEST_TYPE).containsEntry("cloudEvents:source", "/edgeway/test")
          .containsEntry("cloudEvents:subject", "users").containsKeys("cloudEvents:id", "cloudEvents:time");
      assertThat(r.headers().get("cloudEvents:id")).isEqualTo(r.messageId());
      assertSchemaValid(REQUEST_TYPE, r.body());
    }
    assertThat(stats(g).getString("broker")).isEqualTo("rabbitmq");
  }

  @Test
  void structuredModeCarriesTheWholeEventInTheBody() throws Exception {
    String queue = bindQueue();
    Gateway g = start("structured");
    List<String> ids = requests(g, 2);
    List<Received> got = drain(queue, requestIdsCovered(new HashSet<>(ids)));
    Received r = got.stream().filter(m -> m.exchange().equals(exchange)).findFirst().orElseThrow();
    assertThat(r.contentType()).isEqualTo("application/cloudevents+json");
    assertThat(r.body().get("specversion").asText()).isEqualTo("1.0");
    assertThat(r.body().get("type").asText()).isEqualTo(REQUEST_TYPE);
    assertThat(r.body().get("id").asText()).isEqualTo(r.messageId());
    assertSchemaValid(REQUEST_TYPE, r.body().get("data"));
  }

  @Test
  void brokerKilledMidLoadAndRestartedLosesNothing() throws Exception {
    String queue = bindQueue();
    Gateway g = start("binary");
    List<String> ids = new ArrayList<>(requests(g, 100));
    rabbit.kill();
    ids.addAll(requests(g, 100));
    awaitStats(g, s -> "journal".equals(s.getString("mode")) && s.getInteger("queued") == 0);
    rabbit.restart();
    ids.addAll(requests(g, 100));
    awaitStats(g, s -> s.getInteger("queued") == 0 && s.getInteger("inflight") == 0 && s.getLong("journalBytes") == 0
        && "direct".equals(s.getString("mode")));

    List<Received> got = drain(queue, requestIdsCovered(new HashSet<>(ids)));
    // Everything is confirmed and delivered by now; take what else is queued to count duplicates.
    got.addAll(drainAvailable(queue));
    Map<String, Integer> byRequestId = new HashMap<>();
    Set<String> ceIds = new HashSet<>();
    int duplicates = 0;
    for (Received r : got) {
      if (!r.exchange().equals(exchange)) {
        continue;
      }
      if (!ceIds.add(r.ceId())) {
        duplicates++;
      }
      byRequestId.merge(r.body().get("requestId").asText(), 1, Integer::sum);
    }
    Set<String> missing = new HashSet<>(ids);
    missing.removeAll(byRequestId.keySet());
    System.out.printf("EVENTS-BAR rabbitmq broker SIGKILLed and restarted mid-load: %d ids sent, %d messages, "
        + "%d missing, %d duplicates; stats %s%n", ids.size(), ceIds.size() + duplicates, missing.size(), duplicates,
        stats(g).encode());
    assertThat(missing).as("lost across the broker restart").isEmpty();
    assertThat(duplicates).isLessThanOrEqualTo(ids.size() / 100);
    assertThat(stats(g).getLong("droppedTotal")).isZero();
  }
}
