package io.edgeway.events;

import io.edgeway.exchange.UtcTimestamps;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends events with kafka-clients' {@link KafkaProducer}, called only from the publisher's own
 * thread (vertx-kafka-client would run {@code send()} on the shared worker pool, which a broker
 * outage pins for {@code max.block.ms} per call). CloudEvents Kafka binding, binary or structured.
 */
final class KafkaSender implements EventSender {
  // Headers whose value never changes are built once and shared: Kafka only reads them.
  private static final Header SPEC_VERSION = header("ce_specversion", "1.0");
  private static final Header JSON = header("content-type", "application/json");
  private static final Header CLOUDEVENTS_JSON = header("content-type", "application/cloudevents+json; charset=UTF-8");

  private final KafkaProducer<String, byte[]> producer;
  private final boolean structured;

  KafkaSender(KafkaEventsConfig config) {
    this.producer = new KafkaProducer<>(properties(config), new StringSerializer(), new ByteArraySerializer());
    this.structured = config.contentMode() == KafkaEventsConfig.ContentMode.STRUCTURED;
  }

  static Map<String, Object> properties(KafkaEventsConfig config) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "edgeway-events");
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    long delivery = config.deliveryTimeout().toMillis();
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(15_000, delivery / 2)));
    p.putAll(config.producer());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(config.maxBlock().toMillis()));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(delivery));
    long linger = Long.parseLong(String.valueOf(p.getOrDefault(ProducerConfig.LINGER_MS_CONFIG, "5")));
    long request = Long.parseLong(String.valueOf(p.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)));
    if (delivery < linger + request) {
      p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1, delivery - linger)));
    }
    return p;
  }

  // ce_source, ce_type and ce_subject headers by value, built once: one source, a few types, and
  // subjects from the configuration (route ids, target URLs), capped should a reload loop grow them.
  private static final int MAX_SUBJECTS = 4096;
  private final Map<String, Header> sources = new ConcurrentHashMap<>();
  private final Map<String, Header> types = new ConcurrentHashMap<>();
  private final Map<String, Header> subjects = new ConcurrentHashMap<>();
  // The ce_time header of the last millisecond sent, shared by the events of that millisecond
  // (tens under load). send() runs on the publisher thread only.
  private long timeMillis = Long.MIN_VALUE;
  private Header time;

  @Override
  public void send(Event e, Consumer<Exception> done) {
    RecordHeaders headers = new RecordHeaders();
    byte[] value;
    if (structured) {
      headers.add(CLOUDEVENTS_JSON);
      value = e.structuredJson().getBytes(StandardCharsets.UTF_8);
    } else {
      headers.add(SPEC_VERSION);
      headers.add("ce_id", utf8(e.id()));
      headers.add(sources.computeIfAbsent(e.source(), v -> header("ce_source", v)));
      headers.add(types.computeIfAbsent(e.type(), v -> header("ce_type", v)));
      headers.add(time(e.timeMillis()));
      if (e.subject() != null) {
        headers.add(subject(e.subject()));
      }
      headers.add(JSON);
      value = e.data();
    }
    producer.send(new ProducerRecord<>(e.topic(), null, e.timeMillis(), e.key(), value, headers),
        (metadata, failure) -> done.accept(failure));
  }

  @Override
  public boolean isPermanent(Exception failure) {
    return failure instanceof RecordTooLargeException || failure instanceof InvalidRecordException
        || failure instanceof SerializationException;
  }

  @Override
  public void close(Duration timeout) {
    producer.close(timeout);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Header time(long millis) {
    if (millis != timeMillis || time == null) {
      time = new RecordHeader("ce_time", UtcTimestamps.ascii(millis));
      timeMillis = millis;
    }
    return time;
  }

  private Header subject(String value) {
    Header h = subjects.get(value);
    if (h == null) {
      h = header("ce_subject", value);
      if (subjects.size() < MAX_SUBJECTS) {
        subjects.put(value, h);
      }
    }
    return h;
  }

  private static Header header(String key, String value) {
    return new RecordHeader(key, utf8(value));
  }
}
