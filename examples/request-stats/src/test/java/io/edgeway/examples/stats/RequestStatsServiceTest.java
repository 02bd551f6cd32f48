package io.edgeway.examples.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service in its own JVM against a real broker (the gateway project's scripts/kafka.sh): 10,000
 * events (both CloudEvents content modes, unknown types, a v2, newer v1 revisions, redeliveries),
 * the consumer SIGKILLed in the middle and restarted, and its database must then hold exactly the
 * counts the events make: nothing lost, nothing counted twice.
 */
class RequestStatsServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SCRIPT = Path.of("../../scripts/kafka.sh").toAbsolutePath().normalize();
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final int EVENTS = 10_000;

  @TempDir
  static Path dir;
  static String bootstrap;

  @BeforeAll
  static void startBroker() throws Exception {
    Process start = new ProcessBuilder("bash", SCRIPT.toString(), "start", "--dir", dir.resolve("kafka").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    bootstrap = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(start.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(start.exitValue()).isZero();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    new ProcessBuilder("bash", SCRIPT.toString(), "stop", "--dir", dir.resolve("kafka").toString()).inheritIO().start()
        .waitFor(60, TimeUnit.SECONDS);
  }

  /** What the projection must hold once every record is consumed. */
  static final class Expected {
    final Map<String, long[]> routes = new TreeMap<>(); // requests, clientErrors, serverErrors
    final Map<String, long[]> histograms = new TreeMap<>();
    long applied;
    long duplicates;
    long skipped;
    long records;
  }

  @Test
  void aConsumerKilledMidStreamResumesFromItsDatabaseWithExactCounts() throws Exception {
    String topic = "edgeway.requests.kill-" + System.nanoTime();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(60, TimeUnit.SECONDS);
    }
    Expected expected = produce(topic);
    Path db = dir.resolve("stats-" + System.nanoTime() + ".db");

    Service first = Service.start(db, topic, dir);
    JsonNode atKill = first.await(s -> s.path("applied").asLong() >= 2_000);
    first.kill();
    long appliedAtKill = atKill.path("applied").asLong();
    assertThat(appliedAtKill).as("the kill came mid-stream").isLessThan(expected.applied);

    Service second = Service.start(db, topic, dir);
    JsonNode done = second.await(s -> s.path("applied").asLong() + s.path("duplicates").asLong()
        + s.path("skipped").asLong() >= expected.records);
    second.kill();
    System.out.printf("request-stats: %d records, killed at %d applied; after the restart: applied %d, duplicates %d,"
        + " skipped %d (expected %d, %d, %d)%n", expected.records, appliedAtKill, done.path("applied").asLong(),
        done.path("duplicates").asLong(), done.path("skipped").asLong(), expected.applied, expected.duplicates,
        expected.skipped);

    assertThat(done.path("applied").asLong()).isEqualTo(expected.applied);
    assertThat(done.path("duplicates").asLong()).isEqualTo(expected.duplicates);
    assertThat(done.path("skipped").asLong()).isEqualTo(expected.skipped);
    JsonNode routes = done.path("routes");
    assertThat(routes.size()).isEqualTo(expected.routes.size());
    expected.routes.forEach((route, counts) -> {
      JsonNode r = routes.path(route);
      assertThat(new long[] {r.path("requests").asLong(), r.path("clientErrors").asLong(),
          r.path("serverErrors").asLong()}).as(route).containsExactly(counts);
      long[] h = expected.histograms.get(route);
      for (int i = 0; i < h.length; i++) {
        String name = i < StatsDatabase.BUCKETS_MS.length ? "le" + fmt(StatsDatabase.BUCKETS_MS[i]) : "inf";
        assertThat(r.path("histogram").path(name).asLong()).as("%s %s", route, name).isEqualTo(h[i]);
      }
    });
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** 10,000 events plus redeliveries; returns the counts they must produce. */
  private static Expected produce(String topic) throws Exception {
    Expected x = new Expected();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
        "acks", "all", "linger.ms", "10"), new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < EVENTS; i++) {
        String type;
        if (i % 20 == 7) {
          type = "io.edgeway.circuit.opened.v1"; // another type on the topic: skipped
        } else if (i % 50 == 11) {
          type = "io.edgeway.request.completed.v2"; // a major version this service was not written for
        } else if (i % 26 == 0) {
          type = "io.edgeway.request.completed.v1.1"; // a newer minor revision: read
        } else {
          type = "io.edgeway.request.completed.v1";
        }
        String route = "r" + (i % 3);
        int status = i % 10 == 0 ? 503 : i % 10 == 1 ? 404 : 200;
        double ms = (i % 7) * 3.5;
        ObjectNode data = JSON.createObjectNode().put("requestId", "q" + i).put("route", route).put("status", status);
        data.putObject("timings").put("totalMs", ms);
        if (i % 13 == 0) {
          data.put("someFutureField", "ignored"); // a newer revision's extra field
        }
        boolean structured = i % 2 == 1;
        int copies = i % 100 == 3 ? 2 : 1; // redelivered
        for (int c = 0; c < copies; c++) {
          producer.send(record(topic, "ev-" + i, type, route, data, structured));
          x.records++;
        }
        if (RequestStatsService.ACCEPTED.matcher(type).matches()) {
          x.applied++;
          x.duplicates += copies - 1;
          long[] counts = x.routes.computeIfAbsent(route, k -> new long[3]);
          counts[0]++;
          counts[1] += status >= 400 && status < 500 ? 1 : 0;
          counts[2] += status >= 500 ? 1 : 0;
          x.histograms.computeIfAbsent(route, k -> new long[StatsDatabase.BUCKETS_MS.length + 1])[
              StatsDatabase.bucket(ms)]++;
        } else {
          x.skipped += copies;
        }
      }
      producer.flush();
    }
    return x;
  }

  private static ProducerRecord<String, byte[]> record(String topic, String id, String type, String key,
      ObjectNode data, boolean structured) throws IOException {
    if (structured) {
      ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", id).put("source", "/edgeway/test")
          .put("type", type).put("time", "2026-12-02T15:00:00.000Z").put("datacontenttype", "application/json");
      event.set("data", data);
      ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, JSON.writeValueAsBytes(event));
      r.headers().add("content-type", "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8));
      return r;
    }
    ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, JSON.writeValueAsBytes(data));
    r.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(id)).add("ce_source", bytes("/edgeway/test"))
        .add("ce_type", bytes(type)).add("ce_time", bytes("2026-12-02T15:00:00.000Z"))
        .add("content-type", bytes("application/json"));
    return r;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The service in its own JVM, output to files. */
  record Service(Process process, Path stdout, int port) {
    private static final Pattern LISTENING = Pattern.compile("request-stats on http://127\\.0\\.0\\.1:(\\d+)/stats");

    static Service start(Path db, String topic, Path dir) throws Exception {
      String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      Path out = Files.createTempFile(dir, "stats", ".out");
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", classpath, RequestStatsService.class.getName(), bootstrap, topic, db.toString(), "0", "20")
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (System.nanoTime() < end) {
        Matcher m = LISTENING.matcher(Files.readString(out));
        if (m.find()) {
          return new Service(p, out, Integer.parseInt(m.group(1)));
        }
        if (!p.isAlive()) {
          throw new AssertionError("the service exited: " + Files.readString(out));
        }
        Thread.sleep(50);
      }
      p.destroyForcibly();
      throw new AssertionError("the service did not start: " + Files.readString(out));
    }

    JsonNode stats() throws Exception {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return JSON.readTree(r.body());
    }

    JsonNode await(Predicate<JsonNode> condition) throws Exception {
      long end = System.nanoTime() + DEADLINE.toNanos();
      JsonNode last = null;
      while (System.nanoTime() < end) {
        if (!process.isAlive()) {
          throw new AssertionError("the service exited: " + Files.readString(stdout));
        }
        last = stats();
        if (condition.test(last)) {
          return last;
        }
        Thread.sleep(10);
      }
      throw new AssertionError("never reached; last: " + last + "\n" + Files.readString(stdout));
    }

    /** SIGKILL (destroyForcibly on Linux): no shutdown hook, no clean close of the database. */
    void kill() throws Exception {
      process.destroyForcibly();
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
