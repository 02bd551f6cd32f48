package io.edgeway.events;

import io.edgeway.testing.TestVertx;
import static io.edgeway.events.EventsTestSupport.assertCloudEventHeaders;
import static io.edgeway.events.EventsTestSupport.assertSchemaValid;
import static io.edgeway.events.EventsTestSupport.consume;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeway.config.ConfigLoader;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.runtime.Gateway;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.runtime.GatewayServices;
import io.edgeway.runtime.StateEvents;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestUpstream;
import io.edgeway.testsupport.KafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through a running gateway to a real Kafka broker (one broker for the class), asserting what a
 * consumer of the topics receives.
 */
class EventsKafkaEndToEndTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String REQUEST_TYPE = "io.edgeway.request.completed.v1";

  @TempDir
  static Path brokerDir;
  static KafkaBroker kafka;

  @TempDir
  Path tempDir;
  private Vertx vertx;
  private TestUpstream upstream;
  private final List<Gateway> gateways = new ArrayList<>();
  private String topic;
  private String stateTopic;

  @BeforeAll
  static void startBroker() {
    kafka = KafkaBroker.start(brokerDir.resolve("kafka"));
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    if (!kafka.isRunning()) {
      kafka.restart();
    }
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
    topic = "requests-" + UUID.randomUUID();
    stateTopic = "state-" + UUID.randomUUID();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Gateway g : gateways) {
      g.stop(Duration.ofSeconds(1)).await(30, TimeUnit.SECONDS);
    }
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private String yaml(String bootstrap, String extra) {
    return """
        server: { host: 127.0.0.1, port: 0, instances: 1 }
        admin: { host: 127.0.0.1, port: 0 }
        events:
          source: /edgeway/test
          kafka:
            bootstrap-servers: "%s"
            topic: %s
            state-topic: %s
            producer: { acks: all, compression: lz4, linger: 5ms }
          journal: { dir: "%s", fsync: 20ms }
          include: { query: true, request-headers: [User-Agent, X-Tenant] }
        %s
        routes:
          - id: users
            match: { path: /users/** }
            upstream: { targets: [ { url: "%s" } ] }
          - id: dead
            match: { path: /dead/** }
            upstream: { targets: [ { url: "http://127.0.0.1:%d" } ], timeouts: { connect: 1s } }
        """.formatted(bootstrap, topic, stateTopic, tempDir.resolve("journal"), extra, upstream.url(), freePort());
  }

  private Gateway start(String yaml, GatewayModule... extra) throws Exception {
    List<GatewayModule> modules = new ArrayList<>(Gateway.discoverModules(getClass().getClassLoader()));
    modules.addAll(List.of(extra));
    Gateway g = Gateway.start(vertx, ConfigLoader.load("test.yaml", yaml), "test.yaml",
        FilterRegistry.discover(List.of(getClass().getClassLoader())), modules).await(30, TimeUnit.SECONDS);
    gateways.add(g);
    return g;
  }

  private void stop(Gateway g) throws Exception {
    gateways.remove(g);
    g.stop(Duration.ofSeconds(1)).await(30, TimeUnit.SECONDS);
  }

  /** Sends requests one by one; returns the X-Request-Id of each by status. */
  private List<String> requests(Gateway g, int n, String uri) throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(g.port()));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "req-" + UUID.randomUUID();
      int status = OnContext.await(vertx, () -> client.request(new RequestOptions().setMethod(HttpMethod.GET)
              .setURI(uri).addHeader("X-Request-Id", id).addHeader("User-Agent", "events-test")
              .addHeader("Authorization", "Bearer secret-token").addHeader("Cookie", "session=secret"))
          .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode()))), 20);
      assertThat(status).isPositive();
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

  /** Polls the admin stats until {@code done} holds (bounded). */
  private JsonObject awaitStats(Gateway g, java.util.function.Predicate<JsonObject> done) throws Exception {
    long end = System.nanoTime() + DEADLINE.toNanos();
    JsonObject stats = stats(g);
    while (!done.test(stats) && System.nanoTime() < end) {
      Thread.sleep(50);
      stats = stats(g);
    }
    assertThat(done.test(stats)).as("stats %s", stats).isTrue();
    return stats;
  }

  private static Predicate idsCovered(Set<String> ids) {
    return received -> received.stream().map(c -> c.value().path("requestId").asText()).collect(Collectors.toSet())
        .containsAll(ids);
  }

  private interface Predicate extends java.util.function.Predicate<List<EventsTestSupport.Consumed>> {}

  @Test
  void everyRequestOfMixedOutcomesBecomesOneSchemaValidEventAndStartUpPublishesConfigLoaded() throws Exception {
    Gateway g = start(yaml(kafka.bootstrapServers(), ""));
    List<String> ok = requests(g, 5, "/users/1?page=2");
    List<String> notFound = requests(g, 3, "/nowhere");
    List<String> unreachable = requests(g, 2, "/dead/x");
    Set<String> all = new HashSet<>();
    all.addAll(ok);
    all.addAll(notFound);
    all.addAll(unreachable);

    List<EventsTestSupport.Consumed> events = consume(kafka.bootstrapServers(), topic, DEADLINE, idsCovered(all));
    // Linger a little more to catch any extra event: exactly one per request is the contract.
    events = consume(kafka.bootstrapServers(), topic, Duration.ofSeconds(2), r -> false);
    assertThat(events).hasSize(10);
    Map<String, JsonNode> byId = new HashMap<>();
    for (EventsTestSupport.Consumed c : events) {
      assertCloudEventHeaders(c, REQUEST_TYPE);
      assertThat(c.headers()).containsEntry("ce_source", "/edgeway/test");
      assertSchemaValid(REQUEST_TYPE, c.value());
      byId.put(c.value().get("requestId").asText(), c.value());
    }
    assertThat(byId.keySet()).isEqualTo(all);
    assertThat(events.stream().map(EventsTestSupport.Consumed::ceId).distinct()).hasSize(10);

    JsonNode served = byId.get(ok.get(0));
    assertThat(served.get("route").asText()).isEqualTo("users");
    assertThat(served.get("status").asInt()).isEqualTo(200);
    assertThat(served.get("method").asText()).isEqualTo("GET");
    assertThat(served.get("path").asText()).isEqualTo("/users/1");
    assertThat(served.get("query").asText()).isEqualTo("page=2");
    assertThat(served.get("upstreamTarget").asText()).contains(String.valueOf(upstream.port()));
    assertThat(served.get("errorCode").isNull()).isTrue();
    assertThat(served.get("clientIp").asText()).isEqualTo("127.0.0.1");
    assertThat(served.get("bytesOut").asLong()).isPositive();
    assertThat(served.get("requestHeaders").get("User-Agent").asText()).isEqualTo("events-test");
    assertThat(served.get("traceId").asText()).hasSize(32);
    assertThat(served.toString()).doesNotContain("secret");
    assertThat(events.stream().filter(c -> c.value().get("requestId").asText().equals(ok.get(0))).findFirst()
        .orElseThrow().key()).isEqualTo("users");

    JsonNode missing = byId.get(notFound.get(0));
    assertThat(missing.get("status").asInt()).isEqualTo(404);
    assertThat(missing.get("errorCode").asText()).isEqualTo("no_route");
    assertThat(missing.get("route").isNull()).isTrue();

    JsonNode dead = byId.get(unreachable.get(0));
    assertThat(dead.get("status").asInt()).isEqualTo(502);
    assertThat(dead.get("errorCode").asText()).isEqualTo("upstream_unreachable");
    assertThat(dead.get("route").asText()).isEqualTo("dead");

    List<EventsTestSupport.Consumed> state = consume(kafka.bootstrapServers(), stateTopic, DEADLINE,
        r -> !r.isEmpty());
    assertThat(state).hasSize(1);
    assertCloudEventHeaders(state.get(0), "io.edgeway.config.loaded.v1");
    assertSchemaValid("io.edgeway.config.loaded.v1", state.get(0).value());
    assertThat(state.get(0).value().get("routes").asInt()).isEqualTo(2);

    JsonObject stats = stats(g);
    assertThat(stats.getLong("published")).isEqualTo(11);
    assertThat(stats.getLong("droppedTotal")).isZero();
    assertThat(stats.getString("mode")).isEqualTo("direct");
  }

  @Test
  void brokerDownAtStartJournalsThenDeliversEverythingWhenTheBrokerAppears() throws Exception {
    kafka.kill();
    Gateway g = start(yaml(kafka.bootstrapServers(), ""));
    List<String> ids = requests(g, 20, "/users/a");
    // 20 request events + config.loaded, all in the journal while the broker is away
    JsonObject stats = awaitStats(g, s -> s.getLong("journaled") >= 21);
    assertThat(stats.getString("mode")).isEqualTo("journal");
    assertThat(stats.getLong("published")).isZero();

    kafka.restart();
    Set<String> expected = new HashSet<>(ids);
    List<EventsTestSupport.Consumed> events = consume(kafka.bootstrapServers(), topic, DEADLINE, idsCovered(expected));
    Set<String> got = events.stream().map(c -> c.value().get("requestId").asText()).collect(Collectors.toSet());
    assertThat(got).containsAll(expected);
    events.forEach(c -> assertSchemaValid(REQUEST_TYPE, c.value()));
    assertThat(stats(g).getLong("journaled")).isGreaterThanOrEqualTo(20);
    assertThat(stats(g).getLong("droppedTotal")).isZero();
  }

  @Test
  void brokerKilledMidLoadAndRestartedLosesNoRequestId() throws Exception {
    Gateway g = start(yaml(kafka.bootstrapServers(), ""));
    List<String> ids = new ArrayList<>(requests(g, 100, "/users/load"));
    kafka.kill();
    ids.addAll(requests(g, 100, "/users/load"));
    kafka.restart();
    ids.addAll(requests(g, 100, "/users/load"));

    Set<String> expected = new HashSet<>(ids);
    List<EventsTestSupport.Consumed> events = consume(kafka.bootstrapServers(), topic, DEADLINE, idsCovered(expected));
    Map<String, Long> counts = events.stream().collect(Collectors.groupingBy(
        c -> c.value().get("requestId").asText(), Collectors.counting()));
    assertThat(counts.keySet()).containsAll(expected);
    long duplicates = events.size() - counts.size();
    System.out.println("broker killed mid-load: " + expected.size() + " requests, " + events.size()
        + " events consumed, " + duplicates + " duplicates (same ce_id: "
        + (events.size() - events.stream().map(EventsTestSupport.Consumed::ceId).distinct().count()) + ")");
    assertThat(stats(g).getLong("droppedTotal")).isZero();
  }

  @Test
  void gatewayStoppedWithANonEmptyJournalDeliversItAfterTheRestart() throws Exception {
    int nothingListens = freePort();
    Gateway first = start(yaml("127.0.0.1:" + nothingListens, ""));
    List<String> ids = requests(first, 15, "/users/b");
    assertThat(awaitStats(first, s -> s.getLong("journaled") >= 16).getString("mode")).isEqualTo("journal");
    stop(first);
    assertThat(Journal.readAll(tempDir.resolve("journal")).stream()
        .filter(e -> e.type().equals(REQUEST_TYPE)).count()).isEqualTo(15);

    Gateway second = start(yaml(kafka.bootstrapServers(), ""));
    Set<String> expected = new HashSet<>(ids);
    List<EventsTestSupport.Consumed> events = consume(kafka.bootstrapServers(), topic, DEADLINE, idsCovered(expected));
    assertThat(events.stream().map(c -> c.value().get("requestId").asText())).containsAll(expected);
    // the first run's config.loaded was journaled too and reaches the state topic after the restart
    List<EventsTestSupport.Consumed> state = consume(kafka.bootstrapServers(), stateTopic, DEADLINE,
        r -> r.size() >= 2);
    assertThat(state).hasSizeGreaterThanOrEqualTo(2);
    assertThat(stats(second).getLong("replayed")).isGreaterThanOrEqualTo(16);
  }

  /**
   * A plugin's StateEventPublisher (here the SPI-only test-quota filter) goes through the same
   * pipeline as built-in state events: io.edgeway.plugin.state-changed.v1 on the state topic,
   * keyed by the plugin's subject, valid against its schema.
   */
  @Test
  void aPluginsStateEventReachesTheStateTopicAsPluginStateChanged() throws Exception {
    Gateway g = start(yaml(kafka.bootstrapServers(), "") + """
          - id: quota
            match: { path: /quota/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - test-quota: { capacity: 1, period: 1h }
        """.formatted(upstream.url()));
    requests(g, 3, "/quota/x"); // one admitted, then exhausted: one event (the plugin deduplicates)

    List<EventsTestSupport.Consumed> state = consume(kafka.bootstrapServers(), stateTopic, DEADLINE,
        r -> r.stream().anyMatch(c -> c.type().equals("io.edgeway.plugin.state-changed.v1")));
    List<EventsTestSupport.Consumed> plugin = state.stream()
        .filter(c -> c.type().equals("io.edgeway.plugin.state-changed.v1")).toList();
    assertThat(plugin).hasSize(1);
    EventsTestSupport.Consumed event = plugin.get(0);
    assertCloudEventHeaders(event, "io.edgeway.plugin.state-changed.v1");
    assertSchemaValid("io.edgeway.plugin.state-changed.v1", event.value());
    assertThat(event.key()).isEqualTo("anonymous");
    assertThat(event.headers()).containsEntry("ce_subject", "anonymous");
    assertThat(event.value().get("plugin").asText()).isEqualTo("test-quota");
    assertThat(event.value().get("route").asText()).isEqualTo("quota");
    assertThat(event.value().get("change").asText()).isEqualTo("quota.exhausted");
    assertThat(event.value().get("data").get("capacity").asLong()).isEqualTo(1);
    assertThat(upstream.count()).as("only the admitted request went upstream").isEqualTo(1);
  }

  @Test
  void stateEventsPublishedThroughTheServiceReachTheStateTopic() throws Exception {
    AtomicReference<GatewayServices> services = new AtomicReference<>();
    GatewayModule capture = new GatewayModule() {
      @Override
      public String name() {
        return "capture";
      }

      @Override
      public Future<Void> start(Context context) {
        services.set(context.services());
        return Future.succeededFuture();
      }
    };
    start(yaml(kafka.bootstrapServers(), ""), capture);
    StateEvents events = services.get().find(StateEvents.class).orElseThrow();
    events.publish("circuit.opened", "users", Map.of("route", "users", "failureRate", 0.75));
    events.publish("circuit.closed", "users", Map.of("route", "users"));

    List<EventsTestSupport.Consumed> state = consume(kafka.bootstrapServers(), stateTopic, DEADLINE,
        r -> r.size() >= 3);
    Map<String, EventsTestSupport.Consumed> byType = state.stream()
        .collect(Collectors.toMap(EventsTestSupport.Consumed::type, c -> c, (a, b) -> a));
    assertThat(byType).containsKeys("io.edgeway.config.loaded.v1", "io.edgeway.circuit.opened.v1",
        "io.edgeway.circuit.closed.v1");
    for (EventsTestSupport.Consumed c : state) {
      assertCloudEventHeaders(c, c.type());
      assertSchemaValid(c.type(), c.value());
    }
    EventsTestSupport.Consumed opened = byType.get("io.edgeway.circuit.opened.v1");
    assertThat(opened.key()).isEqualTo("users");
    assertThat(opened.headers()).containsEntry("ce_subject", "users");
    assertThat(opened.value().get("failureRate").asDouble()).isEqualTo(0.75);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
