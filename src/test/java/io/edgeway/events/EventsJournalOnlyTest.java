package io.edgeway.events;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.config.ConfigException;
import io.edgeway.config.ConfigLoader;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events without Kafka: the embedded default journals locally; a full journal drops, counted. */
class EventsJournalOnlyTest {
  @TempDir
  Path tempDir;
  private Vertx vertx;
  private TestUpstream upstream;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private String yaml(String maxSize) {
    return """
        events:
          journal: { dir: "%s", max-size: %s }
        routes:
          - id: r
            match: { path: /r/** }
            upstream: { targets: [ { url: "%s" } ] }
        """.formatted(tempDir.resolve("journal"), maxSize, upstream.url());
  }

  private int get(HttpClient client, int port, String uri) throws Exception {
    return OnContext.await(vertx, () -> client.request(HttpMethod.GET, port, "127.0.0.1", uri)
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode()))), 20);
  }

  private JsonObject stats(HttpClient client, TestGateway g) throws Exception {
    return OnContext.await(vertx, () -> client.request(HttpMethod.GET, g.adminPort(), "127.0.0.1", "/events/stats")
        .compose(req -> req.send().compose(resp -> resp.body())).map(b -> b.toJsonObject()), 10);
  }

  @Test
  void journalsEveryRequestLocallyAndEventsTailReadsThem() throws Exception {
    HttpClient client = vertx.createHttpClient();
    try (TestGateway g = TestGateway.start(vertx, yaml("1MiB"))) {
      for (int i = 0; i < 5; i++) {
        assertThat(get(client, g.port(), "/r/" + i)).isEqualTo(200);
      }
      assertThat(get(client, g.port(), "/missing")).isEqualTo(404);
    }
    List<Event> journaled = Journal.readAll(tempDir.resolve("journal"));
    assertThat(journaled).extracting(Event::type).containsOnly("io.edgeway.request.completed.v1",
        "io.edgeway.config.loaded.v1");
    assertThat(journaled).filteredOn(e -> e.type().equals(RequestEvents.TYPE)).hasSize(6);
    for (Event e : journaled) {
      EventsTestSupport.assertSchemaValid(e.type(), EventsTestSupport.JSON.readTree(e.data()));
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int code = EventsCommand.run(new String[] {"tail", "--dir", tempDir.resolve("journal").toString()},
        new java.io.PrintStream(out, true), System.err);
    assertThat(code).isZero();
    String[] lines = out.toString().strip().split("\n");
    assertThat(lines).hasSize(7);
    assertThat(new JsonObject(lines[1]).getString("specversion")).isEqualTo("1.0");
    assertThat(new JsonObject(lines[1]).getJsonObject("data").getString("route")).isEqualTo("r");
  }

  /**
   * Kafka and RabbitMQ both on (neither reachable here): each broker has its own pipeline and
   * journal, every event goes to both, and the stats show both.
   */
  @Test
  void withBothBrokersEachHasItsOwnJournalAndGetsEveryEvent() throws Exception {
    int nothing = EventsKafkaEndToEndTest.freePort();
    String yaml = """
        events:
          kafka: { bootstrap-servers: "127.0.0.1:%d", max-block: 50ms }
          rabbitmq: { uri: "amqp://guest:guest@127.0.0.1:%d", connect-timeout: 50ms }
          journal: { dir: "%s" }
        routes:
          - id: r
            match: { path: /r/** }
            upstream: { targets: [ { url: "%s" } ] }
        """.formatted(nothing, nothing, tempDir.resolve("journal"), upstream.url());
    HttpClient client = vertx.createHttpClient();
    try (TestGateway g = TestGateway.start(vertx, yaml)) {
      for (int i = 0; i < 3; i++) {
        assertThat(get(client, g.port(), "/r/" + i)).isEqualTo(200);
      }
      JsonObject stats = stats(client, g);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((stats.getLong("created") < 4 || stats.getJsonObject("rabbitmq").getLong("created") < 4)
          && System.nanoTime() < end) {
        Thread.sleep(20);
        stats = stats(client, g);
      }
      assertThat(stats.getString("broker")).isEqualTo("kafka");
      assertThat(stats.getLong("created")).isEqualTo(4);
      assertThat(stats.getJsonObject("rabbitmq").getLong("created")).isEqualTo(4);
    }
    for (Path dir : List.of(tempDir.resolve("journal"), tempDir.resolve("journal/rabbitmq"))) {
      assertThat(Journal.readAll(dir)).as(dir.toString()).extracting(Event::type)
          .containsOnly(RequestEvents.TYPE, "io.edgeway.config.loaded.v1").hasSize(4);
    }
  }

  @Test
  void headerValuesWithQuotesBackslashesAndNonAsciiArriveIntactInTheEventData() throws Exception {
    // The event data is written straight to UTF-8 bytes: escaping and encoding must survive a
    // parser. Header values are ISO-8859-1 on the wire, so the non-ASCII here is Latin-1 (two
    // UTF-8 bytes each); JsonBytesTest covers the rest of Unicode.
    String userAgent = "tool \"quoted\" back\\slash caf\u00e9 \u00fcber \u00bd";
    HttpClient client = vertx.createHttpClient();
    try (TestGateway g = TestGateway.start(vertx, yaml("1MiB"))) {
      int status = OnContext.await(vertx, () -> client.request(HttpMethod.GET, g.port(), "127.0.0.1", "/r/caf%C3%A9")
          .compose(req -> req.putHeader("User-Agent", userAgent).send()
              .compose(resp -> resp.body().map(b -> resp.statusCode()))), 20);
      assertThat(status).isEqualTo(200);
    }
    Event event = Journal.readAll(tempDir.resolve("journal")).stream()
        .filter(e -> e.type().equals(RequestEvents.TYPE)).findFirst().orElseThrow();
    EventsTestSupport.assertSchemaValid(event.type(), EventsTestSupport.JSON.readTree(event.data()));
    JsonObject data = new JsonObject(new String(event.data(), java.nio.charset.StandardCharsets.UTF_8));
    assertThat(data.getJsonObject("requestHeaders").getString("User-Agent")).isEqualTo(userAgent);
    assertThat(data.getString("path")).isEqualTo("/r/caf%C3%A9");
    assertThat(java.time.Instant.parse(event.time())).isEqualTo(java.time.Instant.ofEpochMilli(event.timeMillis()));
  }

  @Test
  void aQueryTokenTheJwtFilterStripsIsNeitherForwardedNorPublished() throws Exception {
    String secret = "0123456789abcdef0123456789abcdef";
    long now = System.currentTimeMillis();
    com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
        new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256),
        new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("test").subject("alice")
            .issueTime(new java.util.Date(now)).expirationTime(new java.util.Date(now + 60_000)).build());
    jwt.sign(new com.nimbusds.jose.crypto.MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    String token = jwt.serialize();
    try (TestGateway g = TestGateway.start(vertx, """
        events:
          journal: { dir: "%s" }
          include: { query: true }
        jwt-providers:
          p: { issuer: test, algorithms: [HS256], secret: "%s" }
        routes:
          - id: r
            match: { path: /r/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - jwt: { providers: [p], from: { query: access_token }, strip-authorization: true }
        """.formatted(tempDir.resolve("journal"), secret, upstream.url()))) {
      assertThat(get(vertx.createHttpClient(), g.port(), "/r/1?page=2&access_token=" + token)).isEqualTo(200);
    }
    assertThat(upstream.last().uri()).isEqualTo("/r/1?page=2");
    JsonObject data = Journal.readAll(tempDir.resolve("journal")).stream()
        .filter(e -> e.type().equals(RequestEvents.TYPE))
        .map(e -> new JsonObject(new String(e.data(), java.nio.charset.StandardCharsets.UTF_8)))
        .findFirst().orElseThrow();
    assertThat(data.getString("query")).isEqualTo("page=2");
    assertThat(data.getString("consumer")).isEqualTo("alice");
  }

  @Test
  void theEventsTraceIdIsTheTraceOfTheExportedSpans() throws Exception {
    String trace = "7bf92f3577b34da6a3ce929d0e0e4736";
    try (io.edgeway.testing.OtlpReceiver receiver = io.edgeway.testing.OtlpReceiver.start(vertx)) {
      HttpClient client = vertx.createHttpClient();
      try (TestGateway g = TestGateway.start(vertx, "tracing: { endpoint: \"" + receiver.endpoint()
          + "\", export-interval: 50ms }\n" + yaml("1MiB"))) {
        int status = OnContext.await(vertx, () -> client.request(HttpMethod.GET, g.port(), "127.0.0.1", "/r/t")
            .compose(req -> req.putHeader("traceparent", "00-" + trace + "-00f067aa0ba902b7-01").send()
                .compose(resp -> resp.body().map(b -> resp.statusCode()))), 20);
        assertThat(status).isEqualTo(200);
        assertThat(receiver.awaitTrace(trace, 2)).hasSize(2);
      }
    }
    List<JsonObject> requests = Journal.readAll(tempDir.resolve("journal")).stream()
        .filter(e -> e.type().equals(RequestEvents.TYPE))
        .map(e -> new JsonObject(new String(e.data(), java.nio.charset.StandardCharsets.UTF_8))).toList();
    assertThat(requests).singleElement().satisfies(e -> assertThat(e.getString("traceId")).isEqualTo(trace));
  }

  @Test
  void aBodyWithBrokenChunkedFramingIsOneEventWithItsFourHundred() throws Exception {
    try (TestGateway g = TestGateway.start(vertx, yaml("1MiB"))) {
      io.edgeway.testing.RawHttp.RawResponse r = io.edgeway.testing.RawHttp.send(g.port(),
          "POST /r/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x1\r\nA\r\n0\r\n\r\n");
      assertThat(r.status()).isEqualTo(400);
    }
    List<JsonObject> requests = Journal.readAll(tempDir.resolve("journal")).stream()
        .filter(e -> e.type().equals(RequestEvents.TYPE))
        .map(e -> new JsonObject(new String(e.data(), java.nio.charset.StandardCharsets.UTF_8))).toList();
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).getInteger("status")).isEqualTo(400);
    assertThat(requests.get(0).getString("errorCode")).isEqualTo("client_body_error");
  }

  @Test
  void aFullJournalDropsCountedWhileTheGatewayKeepsServing() throws Exception {
    HttpClient client = vertx.createHttpClient();
    try (TestGateway g = TestGateway.start(vertx, yaml("4KiB"))) {
      for (int i = 0; i < 30; i++) {
        assertThat(get(client, g.port(), "/r/" + i)).isEqualTo(200);
      }
      JsonObject stats = stats(client, g);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (stats.getLong("journaled") + stats.getLong("droppedTotal") < 31 && System.nanoTime() < end) {
        Thread.sleep(20);
        stats = stats(client, g);
      }
      assertThat(stats.getLong("journaled") + stats.getLong("droppedTotal")).isEqualTo(31);
      assertThat(stats.getJsonObject("dropped").getLong("journal_full")).isPositive();
      assertThat(stats.getLong("journalBytes")).isLessThanOrEqualTo(4096);
      assertThat(stats.getString("mode")).isEqualTo("journal-only");
    }
  }

  @Test
  void rejectsCredentialHeadersAndAnEarlyAck() {
    assertThatThrownBy(() -> ConfigLoader.load("t.yaml", "events:\n  include: { request-headers: [authorization] }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("t.yaml:2:32: events.include.request-headers[0]: authorization (expected: not a credential header");
    assertThatThrownBy(() -> ConfigLoader.load("t.yaml", "events:\n  kafka: { producer: { acks: 1 } }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("events.kafka.producer.acks: 1 (expected: all");
  }

  @Test
  void anAbsentSectionMeansOffAndAnEmptyOneMeansOnWithDefaults() throws Exception {
    assertThat(ConfigLoader.load("t.yaml", "routes: []\n").config().section(EventsConfig.SECTION).enabled()).isFalse();
    EventsConfig on = ConfigLoader.load("t.yaml", "events: {}\n").config().section(EventsConfig.SECTION);
    assertThat(on.enabled()).isTrue();
    assertThat(on.kafka().configured()).isFalse();
    assertThat(on.kafka().topic()).isEqualTo("edgeway.requests");
    assertThat(on.kafka().producer()).containsEntry("acks", "all").containsEntry("compression.type", "lz4")
        .containsEntry("linger.ms", "5").containsEntry("batch.size", "262144");
    assertThat(on.journal().dir()).isEqualTo("data/journal");
    assertThat(on.journal().maxSize().bytes()).isEqualTo(1L << 30);
    assertThat(on.include().requestHeaders()).containsExactly("User-Agent");
    EventsConfig given = ConfigLoader.load("t.yaml", """
        events:
          kafka: { bootstrap-servers: "", key: client-ip, content-mode: structured, producer: { linger: 20ms, batch-size: 65536 } }
        """).config().section(EventsConfig.SECTION);
    assertThat(given.kafka().configured()).isFalse();
    assertThat(given.kafka().key()).isEqualTo(KafkaEventsConfig.PartitionKey.CLIENT_IP);
    assertThat(given.kafka().producer()).containsEntry("linger.ms", "20").containsEntry("batch.size", "65536");
  }

  @Test
  void aReloadAppliesEventsIncludeLiveAndRefusesJournalKeysWithTheirName() throws Exception {
    java.nio.file.Path file = tempDir.resolve("edgeway.yaml");
    String config = """
        server: { host: 127.0.0.1, port: 0, instances: 1, drain-delay: 0s, reload: { watch: false } }
        admin: { host: 127.0.0.1, port: 0 }
        events:
          journal: { dir: "%s", max-size: 1MiB }
          include: { query: false }
        routes:
          - id: r
            match: { path: /r/** }
            upstream: { targets: [ { url: "%s" } ] }
        """.formatted(tempDir.resolve("journal"), upstream.url());
    java.nio.file.Files.writeString(file, config);
    HttpClient client = vertx.createHttpClient();
    try (TestGateway g = TestGateway.startFromFile(vertx, file, List.of())) {
      assertThat(get(client, g.port(), "/r/before?secret=1")).isEqualTo(200);

      java.nio.file.Files.writeString(file, config.replace("max-size: 1MiB", "max-size: 2MiB"));
      var refused = g.gateway().reloader().reload("test").await(20, TimeUnit.SECONDS);
      int column = config.lines().toList().get(3).indexOf("1MiB") + 1;
      assertThat(refused.attempt().errors()).containsExactly(file + ":4:" + column + ": events.journal.max-size: "
          + "2MiB (expected: 1MiB, the running value; changing it needs a restart)");

      java.nio.file.Files.writeString(file, config.replace("query: false", "query: true"));
      var applied = g.gateway().reloader().reload("test").await(20, TimeUnit.SECONDS);
      assertThat(applied.attempt().outcome()).as(applied.attempt().errors().toString())
          .isEqualTo(io.edgeway.runtime.ConfigReloadStats.Outcome.APPLIED);
      assertThat(get(client, g.port(), "/r/after?page=2")).isEqualTo(200);
    }
    List<Event> journaled = Journal.readAll(tempDir.resolve("journal"));
    List<JsonObject> requests = journaled.stream().filter(e -> e.type().equals(RequestEvents.TYPE))
        .map(e -> new JsonObject(new String(e.data(), java.nio.charset.StandardCharsets.UTF_8))).toList();
    assertThat(requests).extracting(r -> r.getString("path")).containsExactly("/r/before", "/r/after");
    assertThat(requests.get(0).containsKey("query")).as("not included before the reload").isFalse();
    assertThat(requests.get(1).getString("query")).isEqualTo("page=2");
    Event failed = journaled.stream().filter(e -> e.type().equals("io.edgeway.config.reload-failed.v1"))
        .findFirst().orElseThrow();
    EventsTestSupport.assertSchemaValid(failed.type(), EventsTestSupport.JSON.readTree(failed.data()));
    assertThat(journaled).filteredOn(e -> e.type().equals("io.edgeway.config.loaded.v1")).hasSize(2)
        .allSatisfy(e -> {
          try {
            EventsTestSupport.assertSchemaValid(e.type(), EventsTestSupport.JSON.readTree(e.data()));
          } catch (java.io.IOException x) {
            throw new IllegalStateException(x);
          }
        });
  }
}
