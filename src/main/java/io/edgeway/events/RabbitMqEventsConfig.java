package io.edgeway.events;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * RabbitMQ settings of the events section ({@code events.rabbitmq}): AMQP 0-9-1 to durable topic
 * exchanges, persistent messages, publisher confirms. The routing key of request events is the
 * value chosen by {@code events.kafka.key} (the same setting for both brokers); state events are
 * routed by their subject.
 *
 * @param uri {@code amqp://user:password@host:port/vhost} ({@code amqps://} for TLS; no path for
 *     the default vhost {@code /}); null or empty: no RabbitMQ
 * @param exchange topic exchange of request.completed events; default {@code edgeway.requests}
 * @param stateExchange topic exchange of state events; default {@code edgeway.state}
 * @param contentMode CloudEvents AMQP binding: binary ({@code cloudEvents:*} headers, default) or
 *     structured
 * @param connectTimeout how long the publisher thread may wait to connect before journaling;
 *     default 2s
 * @param confirmTimeout a message the broker has not confirmed by then counts as failed (the
 *     connection is dropped and the message replayed from the journal); default 30s
 * @param stallTimeout no confirm for this long while messages are out: new events go to the
 *     journal; default 2s
 */
public record RabbitMqEventsConfig(
    String uri, String exchange, String stateExchange, KafkaEventsConfig.ContentMode contentMode,
    Duration connectTimeout, Duration confirmTimeout, Duration stallTimeout) {

  public RabbitMqEventsConfig {
    uri = uri == null || uri.isBlank() ? null : uri.strip();
    if (uri != null) {
      checkUri(uri);
    }
    exchange = exchangeName("exchange", exchange == null ? "edgeway.requests" : exchange);
    stateExchange = exchangeName("state-exchange", stateExchange == null ? "edgeway.state" : stateExchange);
    contentMode = contentMode == null ? KafkaEventsConfig.ContentMode.BINARY : contentMode;
    connectTimeout = millis("connect-timeout", connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout,
        10, 60_000);
    confirmTimeout = millis("confirm-timeout", confirmTimeout == null ? Duration.ofSeconds(30) : confirmTimeout,
        1_000, 3_600_000);
    stallTimeout = millis("stall-timeout", stallTimeout == null ? Duration.ofSeconds(2) : stallTimeout, 50, 600_000);
  }

  public static RabbitMqEventsConfig defaults() {
    return new RabbitMqEventsConfig(null, null, null, null, null, null, null);
  }

  public boolean configured() {
    return uri != null;
  }

  /** {@code host:port/vhost} without credentials, for logs. */
  public String address() {
    URI u = URI.create(uri);
    return u.getHost() + ":" + (u.getPort() < 0 ? (uri.startsWith("amqps") ? 5671 : 5672) : u.getPort())
        + (u.getPath() == null || u.getPath().isEmpty() ? "/" : u.getPath());
  }

  private static void checkUri(String uri) {
    String expected = " (expected: amqp://user:password@host:port/vhost or amqps://...)";
    try {
      URI u = new URI(uri);
      if (!"amqp".equals(u.getScheme()) && !"amqps".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException("uri: " + redact(uri) + expected);
      }
      if ("/".equals(u.getRawPath())) {
        // AMQP URIs name the vhost after the slash: a bare trailing slash is the empty vhost,
        // which no broker has, and the connection would be refused at every attempt.
        throw new IllegalArgumentException("uri: " + redact(uri)
            + " (expected: no path for the default vhost /, or /%2F; a trailing / names the empty vhost)");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("uri: " + redact(uri) + expected, e);
    }
  }

  /** The URI with its password replaced: config errors are logged and printed. */
  static String redact(String uri) {
    return uri.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@");
  }

  private static String exchangeName(String key, String value) {
    if (!value.matches("[A-Za-z0-9._:-]{1,255}") || value.startsWith("amq.")) {
      throw new IllegalArgumentException(key + ": " + value
          + " (expected: an exchange name, [A-Za-z0-9._:-]{1,255}, not starting with amq.)");
    }
    return value;
  }

  private static Duration millis(String key, Duration value, long min, long max) {
    if (value.toMillis() < min || value.toMillis() > max) {
      throw new IllegalArgumentException(key + ": " + value + " (expected: " + min + "ms to " + max + "ms)");
    }
    return value;
  }
}
