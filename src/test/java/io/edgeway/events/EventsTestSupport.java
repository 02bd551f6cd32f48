package io.edgeway.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a consumer of the real topics sees, and the schemas under {@code schemas/}. */
final class EventsTestSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

  private EventsTestSupport() {}

  /** One consumed record: CloudEvents headers (binary mode) and the JSON value. */
  record Consumed(String key, Map<String, String> headers, JsonNode value) {
    String ceId() {
      return headers.get("ce_id");
    }

    String type() {
      return headers.get("ce_type");
    }
  }

  /** Consumes {@code topic} from the beginning until {@code done} holds or the deadline passes. */
  static List<Consumed> consume(String bootstrap, String topic, Duration deadline, Predicate<List<Consumed>> done) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<Consumed> received = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      Instant end = Instant.now().plus(deadline);
      while (!done.test(received) && Instant.now().isBefore(end)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
          Map<String, String> headers = new HashMap<>();
          for (Header h : record.headers()) {
            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
          }
          try {
            received.add(new Consumed(record.key(), headers, JSON.readTree(record.value())));
          } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(record.value(), StandardCharsets.UTF_8), e);
          }
        }
      }
    }
    return received;
  }

  /** Asserts the data is valid against {@code schemas/<type>.json}. */
  static void assertSchemaValid(String type, JsonNode data) {
    JsonSchema schema = SCHEMAS.computeIfAbsent(type, t -> {
      try (InputStream in = Files.newInputStream(Path.of("schemas", t + ".json"))) {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
      } catch (IOException e) {
        throw new AssertionError("no schema for " + t, e);
      }
    });
    Set<ValidationMessage> errors = schema.validate(data);
    assertThat(errors).as("%s data %s", type, data).isEmpty();
  }

  /** Asserts the binary-mode CloudEvents headers. */
  static void assertCloudEventHeaders(Consumed c, String type) {
    assertThat(c.headers()).containsEntry("ce_specversion", "1.0").containsEntry("ce_type", type)
        .containsEntry("content-type", "application/json").containsKeys("ce_id", "ce_source", "ce_time");
    assertThat(c.headers().get("ce_id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(Instant.parse(c.headers().get("ce_time"))).isBefore(Instant.now().plusSeconds(1));
  }
}
