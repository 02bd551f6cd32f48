package io.edgeway.examples.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real broker started with the gateway project's scripts/kafka.sh. */
class RequestStatsServiceTest {
  @TempDir
  Path dir;

  @Test
  void countsPerRouteDeDuplicatesByCeIdAndServesJson() throws Exception {
    Path script = Path.of("../../scripts/kafka.sh").toAbsolutePath().normalize();
    Path kafkaDir = dir.resolve("kafka");
    Process start = new ProcessBuilder("bash", script.toString(), "start", "--dir", kafkaDir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String bootstrap = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(start.waitFor()).isZero();
    Vertx vertx = Vertx.vertx();
    try {
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(
          Map.of("bootstrap.servers", bootstrap, "acks", "all"), new StringSerializer(), new StringSerializer())) {
        send(producer, "e1", "users", 200, 3.0);
        send(producer, "e2", "users", 503, 9.0);
        send(producer, "e2", "users", 503, 9.0); // a redelivery: same ce_id
        send(producer, "e3", "orders", 404, 1.0);
        producer.flush();
      }
      RequestStatsService service = new RequestStatsService();
      int port = service.start(vertx, bootstrap, "edgeway.requests", "test", 0).await(30, TimeUnit.SECONDS);
      var client = vertx.createHttpClient();
      JsonObject stats = null;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < end) {
        stats = client.request(io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1", "/stats")
            .compose(r -> r.send().compose(resp -> resp.body())).map(b -> b.toJsonObject()).await(10, TimeUnit.SECONDS);
        if (stats.getLong("duplicates") == 1 && stats.getJsonObject("routes").size() == 2) {
          break;
        }
        Thread.sleep(100);
      }
      JsonObject users = stats.getJsonObject("routes").getJsonObject("users");
      assertThat(users.getLong("requests")).isEqualTo(2);
      assertThat(users.getLong("serverErrors")).isEqualTo(1);
      assertThat(users.getJsonObject("latencyMs").getDouble("p99")).isEqualTo(9.0);
      assertThat(stats.getJsonObject("routes").getJsonObject("orders").getLong("clientErrors")).isEqualTo(1);
      assertThat(stats.getLong("duplicates")).isEqualTo(1);
      service.stop().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      new ProcessBuilder("bash", script.toString(), "stop", "--dir", kafkaDir.toString()).inheritIO().start().waitFor();
    }
  }

  private static void send(KafkaProducer<String, String> producer, String id, String route, int status, double ms) {
    ProducerRecord<String, String> record = new ProducerRecord<>("edgeway.requests", route,
        new JsonObject().put("requestId", id).put("route", route).put("status", status)
            .put("timings", new JsonObject().put("totalMs", ms)).encode());
    record.headers().add("ce_id", id.getBytes(StandardCharsets.UTF_8))
        .add("ce_type", RequestStats.TYPE.getBytes(StandardCharsets.UTF_8))
        .add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
    producer.send(record);
  }
}
