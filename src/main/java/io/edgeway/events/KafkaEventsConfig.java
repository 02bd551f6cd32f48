package io.edgeway.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kafka settings of the events section.
 *
 * @param bootstrapServers {@code host:port[,host:port]}; null or empty: no Kafka, journal only
 * @param topic request.completed events; default {@code edgeway.requests}
 * @param stateTopic circuit.*, target.*, config.*, ratelimit.degraded events; default {@code edgeway.state}
 * @param key the partition key of request events: route (default), consumer, client-ip
 * @param contentMode CloudEvents Kafka content mode: binary (default) or structured
 * @param producer producer settings passed through ({@code acks}, {@code compression},
 *     {@code linger}, {@code batch-size} short forms, or any Kafka producer property by its dotted
 *     name); {@code acks} must stay {@code all} and idempotence stays on
 * @param maxBlock how long a send may wait for metadata on the publisher thread; default 500ms
 * @param deliveryTimeout the producer's {@code delivery.timeout.ms}; unacknowledged records are
 *     journaled after it; default 30s
 * @param stallTimeout no acknowledgement for this long while records are in flight: Kafka counts
 *     as slow and new events go to the journal; default 2s
 */
public record KafkaEventsConfig(
    String bootstrapServers, String topic, String stateTopic, PartitionKey key, ContentMode contentMode,
    Map<String, String> producer, Duration maxBlock, Duration deliveryTimeout, Duration stallTimeout) {

  /** Which request field keys (and so orders) request events. */
  public enum PartitionKey { ROUTE, CONSUMER, CLIENT_IP }

  /** CloudEvents Kafka protocol binding content modes. */
  public enum ContentMode { BINARY, STRUCTURED }

  private static final Map<String, String> SHORT_NAMES = Map.of(
      "acks", "acks", "compression", "compression.type", "linger", "linger.ms", "batch-size", "batch.size",
      "buffer-memory", "buffer.memory", "max-request-size", "max.request.size");
  private static final List<String> RESERVED = List.of(
      "bootstrap.servers", "key.serializer", "value.serializer", "enable.idempotence", "max.block.ms",
      "delivery.timeout.ms");

  public KafkaEventsConfig {
    bootstrapServers = bootstrapServers == null || bootstrapServers.isBlank() ? null : bootstrapServers.strip();
    topic = topicName("topic", topic == null ? "edgeway.requests" : topic);
    stateTopic = topicName("state-topic", stateTopic == null ? "edgeway.state" : stateTopic);
    key = key == null ? PartitionKey.ROUTE : key;
    contentMode = contentMode == null ? ContentMode.BINARY : contentMode;
    producer = producerProperties(producer == null ? Map.of() : producer);
    maxBlock = millis("max-block", maxBlock == null ? Duration.ofMillis(500) : maxBlock, 10, 60_000);
    deliveryTimeout = millis("delivery-timeout", deliveryTimeout == null ? Duration.ofSeconds(30) : deliveryTimeout,
        1_000, 3_600_000);
    stallTimeout = millis("stall-timeout", stallTimeout == null ? Duration.ofSeconds(2) : stallTimeout, 50, 600_000);
  }

  public static KafkaEventsConfig defaults() {
    return new KafkaEventsConfig(null, null, null, null, null, null, null, null, null);
  }

  public boolean configured() {
    return bootstrapServers != null;
  }

  private static String topicName(String key, String value) {
    if (!value.matches("[A-Za-z0-9._-]{1,249}")) {
      throw new IllegalArgumentException(key + ": " + value + " (expected: a Kafka topic name, [A-Za-z0-9._-]{1,249})");
    }
    return value;
  }

  private static Duration millis(String key, Duration value, long min, long max) {
    if (value.toMillis() < min || value.toMillis() > max) {
      throw new IllegalArgumentException(key + ": " + value + " (expected: " + min + "ms to " + max + "ms)");
    }
    return value;
  }

  /** Kafka property names and values; short forms translated, durations in milliseconds. */
  private static Map<String, String> producerProperties(Map<String, String> given) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : given.entrySet()) {
      String name = SHORT_NAMES.getOrDefault(e.getKey(), e.getKey());
      String value = e.getValue() == null ? "" : e.getValue().strip();
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException("producer." + e.getKey() + ": " + value
            + " (expected: not set here; the events publisher owns " + name + ")");
      }
      if (!name.contains(".") && !name.equals("acks")) {
        throw new IllegalArgumentException("producer." + e.getKey() + ": " + value
            + " (expected: acks, compression, linger, batch-size, buffer-memory, max-request-size"
            + " or a Kafka producer property name such as request.timeout.ms)");
      }
      if (name.equals("acks") && !value.equals("all") && !value.equals("-1")) {
        throw new IllegalArgumentException("producer.acks: " + value + " (expected: all; events are never acked early)");
      }
      if (name.equals("linger.ms") && !value.isEmpty() && !Character.isDigit(value.charAt(value.length() - 1))) {
        value = Long.toString(parseMillis("producer." + e.getKey(), value));
      }
      if (name.equals("compression.type")) {
        value = value.toLowerCase(Locale.ROOT);
        if (!List.of("none", "gzip", "snappy", "lz4", "zstd").contains(value)) {
          throw new IllegalArgumentException("producer." + e.getKey() + ": " + value
              + " (expected: none, gzip, snappy, lz4, zstd)");
        }
      }
      out.put(name, value);
    }
    out.putIfAbsent("acks", "all");
    out.putIfAbsent("compression.type", "lz4");
    out.putIfAbsent("linger.ms", "5");
    // Kafka's 16 KiB default closes a batch after ~50 events, and its lz4 stream allocates 128 KiB
    // of buffers per batch: measured, 256 KiB batches (closed by linger instead) cost the gateway's
    // core less CPU per event, and the broker 40 % less.
    out.putIfAbsent("batch.size", "262144");
    return Map.copyOf(out);
  }

  private static long parseMillis(String key, String text) {
    try {
      if (text.endsWith("ms")) {
        return Long.parseLong(text.substring(0, text.length() - 2));
      }
      if (text.endsWith("s")) {
        return Long.parseLong(text.substring(0, text.length() - 1)) * 1000;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(key + ": " + text + " (expected: a duration such as 5ms or 1s)");
  }
}
