package io.edgeway.examples.stats;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.util.Map;

/**
 * Consumes Edgeway request events with the Vert.x Kafka consumer and serves {@code GET /stats}.
 *
 * <pre>java -cp ... io.edgeway.examples.stats.RequestStatsService 127.0.0.1:9092 edgeway.requests 8090</pre>
 */
public final class RequestStatsService {
  private final RequestStats stats = new RequestStats(100_000);
  private KafkaConsumer<String, String> consumer;
  private HttpServer server;

  public Future<Integer> start(Vertx vertx, String bootstrap, String topic, String group, int port) {
    consumer = KafkaConsumer.create(vertx, Map.of(
        "bootstrap.servers", bootstrap, "group.id", group, "auto.offset.reset", "earliest",
        "enable.auto.commit", "true",
        "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
        "value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer"));
    consumer.handler(this::onRecord);
    server = vertx.createHttpServer().requestHandler(req -> req.response()
        .putHeader("content-type", "application/json").end(stats.toJson().encode()));
    return consumer.subscribe(topic).compose(v -> server.listen(port, "127.0.0.1")).map(HttpServer::actualPort);
  }

  private void onRecord(KafkaConsumerRecord<String, String> record) {
    String id = null;
    String type = null;
    for (KafkaHeader h : record.headers()) {
      if (h.key().equals("ce_id")) {
        id = h.value().toString();
      } else if (h.key().equals("ce_type")) {
        type = h.value().toString();
      }
    }
    JsonObject data;
    try {
      data = new JsonObject(record.value());
    } catch (RuntimeException notJson) {
      data = null;
    }
    if (id == null && data != null && "1.0".equals(data.getString("specversion"))) {
      // structured content mode: the whole CloudEvent is the value
      id = data.getString("id");
      type = data.getString("type");
      data = data.getJsonObject("data");
    }
    stats.accept(id, type, data);
  }

  public Future<Void> stop() {
    return server.close().compose(v -> consumer.close());
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    new RequestStatsService().start(vertx, args[0], args.length > 1 ? args[1] : "edgeway.requests", "request-stats",
        args.length > 2 ? Integer.parseInt(args[2]) : 8090)
        .onSuccess(port -> System.out.println("request-stats on http://127.0.0.1:" + port + "/stats"))
        .onFailure(e -> {
          System.err.println("request-stats: failed to start: " + e);
          vertx.close();
        });
  }
}
