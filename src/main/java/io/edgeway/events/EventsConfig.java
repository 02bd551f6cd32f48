package io.edgeway.events;

import io.edgeway.config.ConfigSection;
import java.time.Duration;

/**
 * The {@code events} section: request and state events as CloudEvents to Kafka, with a durable
 * local journal in front of it.
 *
 * <p>An absent {@code events} section means events are off (the gateway's tests and embedded
 * uses stay free of disk writes); a present section, even empty ({@code events: {}}), turns them
 * on with every default: journal-only to {@code data/journal} when no Kafka is configured.
 *
 * @param enabled default true when the section is present
 * @param source the CloudEvents {@code source} attribute; default {@code /edgeway/$HOSTNAME}
 * @param kafka where events go; absent or empty {@code bootstrap-servers}: no Kafka
 * @param rabbitmq a second (or the only) broker; absent or empty {@code uri}: no RabbitMQ. With
 *     neither broker, events are only journaled
 * @param journal the local journal (outbox) used when Kafka is slow, down or absent
 * @param include optional request data in {@code request.completed} events
 * @param queueSize events buffered in memory between the event loops and the publisher thread;
 *     default 65536 (a full queue drops the event, counted as {@code queue_full})
 * @param flushTimeout how long a stop waits for Kafka acknowledgements before journaling what is
 *     still unacknowledged; default 5s
 * @param publishInterval how often the publisher thread hands the queued events to the producer
 *     (sooner when 512 are waiting); default 5ms. Each hand-off wakes the publisher and, through
 *     a new batch, the producer's network thread, on the cores the event loops run on.
 */
public record EventsConfig(
    Boolean enabled, String source, KafkaEventsConfig kafka, RabbitMqEventsConfig rabbitmq, JournalConfig journal, IncludeConfig include,
    Integer queueSize, Duration flushTimeout, Duration publishInterval) {

  /** The section, owned by the {@link EventsModule}; absent: events off. */
  public static final ConfigSection<EventsConfig> SECTION = ConfigSection.of("events", EventsConfig.class, off());

  public EventsConfig {
    enabled = enabled == null ? Boolean.TRUE : enabled;
    source = source == null || source.isBlank() ? defaultSource() : source;
    kafka = kafka == null ? KafkaEventsConfig.defaults() : kafka;
    rabbitmq = rabbitmq == null ? RabbitMqEventsConfig.defaults() : rabbitmq;
    journal = journal == null ? JournalConfig.defaults() : journal;
    include = include == null ? IncludeConfig.defaults() : include;
    queueSize = queueSize == null ? 65_536 : range("queue-size", queueSize, 16, 10_000_000);
    flushTimeout = flushTimeout == null ? Duration.ofSeconds(5) : flushTimeout;
    if (flushTimeout.isNegative() || flushTimeout.toMillis() > 600_000) {
      throw new IllegalArgumentException("flush-timeout: " + flushTimeout + " (expected: 0 to 10m)");
    }
    publishInterval = publishInterval == null ? Duration.ofMillis(5) : publishInterval;
    if (publishInterval.toMillis() < 1 || publishInterval.toMillis() > 1_000) {
      throw new IllegalArgumentException("publish-interval: " + publishInterval.toMillis() + "ms (expected: 1ms to 1s)");
    }
  }

  /** What an absent {@code events} section means: events off. */
  public static EventsConfig off() {
    return new EventsConfig(false, null, null, null, null, null, null, null, null);
  }

  static int range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + ": " + value + " (expected: " + min + " to " + max + ")");
    }
    return value;
  }

  private static String defaultSource() {
    String host = System.getenv("HOSTNAME");
    return "/edgeway/" + (host == null || host.isBlank() ? "gateway" : host);
  }
}
