package io.edgeway.events;

import static java.util.Objects.requireNonNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events to RabbitMQ with the AMQP 0-9-1 Java client, called only from its pipeline's
 * publisher thread: durable topic exchanges, persistent messages, publisher confirms. CloudEvents
 * AMQP binding: binary ({@code cloudEvents:}-prefixed headers, the JSON data as the body) or
 * structured ({@code application/cloudevents+json}).
 *
 * <p>The client's automatic recovery is off on purpose: confirms outstanding on a lost connection
 * never arrive, so this sender fails them itself (they are replayed from the journal) and connects
 * again on the next send, bounded by {@code connect-timeout}.
 */
final class RabbitMqSender implements EventSender {
  private static final Logger log = LoggerFactory.getLogger(RabbitMqSender.class);
  private static final String REQUEST_TYPE = "io.edgeway.request.completed.v1";
  private static final int MAX_ROUTING_KEY = 255;

  /** A message waiting for its confirm. */
  private record Pending(Consumer<Exception> done, long sentNanos) {}

  /** The connection was lost or refused a message: not a verdict on the message itself. */
  static final class NotConfirmedException extends IOException {
    NotConfirmedException(String message) {
      super(message);
    }
  }

  private final RabbitMqEventsConfig config;
  private final ConnectionFactory factory;
  private final boolean structured;
  private final ScheduledExecutorService watchdog;
  // Per channel: delivery tags restart at 1 on each new channel.
  private volatile Link link;
  private volatile boolean blocked;

  /** One connection and its confirm-mode channel, with the messages it owes confirms for. */
  private final class Link {
    final Connection connection;
    final Channel channel;
    final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();

    Link(Connection connection, Channel channel) {
      this.connection = connection;
      this.channel = channel;
    }

    void confirmed(long tag, boolean multiple, Exception failure) {
      ConcurrentNavigableMap<Long, Pending> done = multiple ? pending.headMap(tag, true) : pending.subMap(tag, true, tag, true);
      for (Map.Entry<Long, Pending> e : done.entrySet()) {
        if (pending.remove(e.getKey()) != null) {
          e.getValue().done().accept(failure);
        }
      }
    }

    void failAll(String why) {
      NotConfirmedException failure = new NotConfirmedException(why);
      for (Long tag : pending.keySet()) {
        Pending p = pending.remove(tag);
        if (p != null) {
          p.done().accept(failure);
        }
      }
    }
  }

  RabbitMqSender(RabbitMqEventsConfig config) {
    this.config = requireNonNull(config, "config");
    this.factory = new ConnectionFactory();
    try {
      factory.setUri(config.uri());
    } catch (Exception e) {
      throw new IllegalArgumentException("uri: " + RabbitMqEventsConfig.redact(config.uri()) + " (" + e.getMessage() + ")");
    }
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
    factory.setConnectionTimeout((int) config.connectTimeout().toMillis());
    factory.setHandshakeTimeout((int) Math.max(config.connectTimeout().toMillis(), 1000));
    factory.setRequestedHeartbeat(10);
    this.structured = config.contentMode() == KafkaEventsConfig.ContentMode.STRUCTURED;
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "edgeway-events-rabbitmq-confirms");
      t.setDaemon(true);
      return t;
    });
    watchdog.scheduleWithFixedDelay(this::expireUnconfirmed, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public void send(Event e, Consumer<Exception> done) {
    if (blocked) {
      throw new IllegalStateException("RabbitMQ blocked the connection (resource alarm)");
    }
    Link l = connected();
    long tag = l.channel.getNextPublishSeqNo();
    l.pending.put(tag, new Pending(done, System.nanoTime()));
    try {
      l.channel.basicPublish(exchange(e), routingKey(e), false, properties(e), body(e));
    } catch (IOException | RuntimeException failure) {
      l.pending.remove(tag);
      drop(l, "publish failed: " + failure);
      throw new IllegalStateException("RabbitMQ publish failed: " + failure, failure);
    }
  }

  private Link connected() {
    Link l = link;
    if (l != null && l.channel.isOpen()) {
      return l;
    }
    try {
      Connection connection = factory.newConnection("edgeway-events");
      Channel channel = connection.createChannel();
      channel.confirmSelect();
      channel.exchangeDeclare(config.exchange(), "topic", true);
      channel.exchangeDeclare(config.stateExchange(), "topic", true);
      Link fresh = new Link(connection, channel);
      channel.addConfirmListener((tag, multiple) -> fresh.confirmed(tag, multiple, null),
          (tag, multiple) -> fresh.confirmed(tag, multiple, new NotConfirmedException("RabbitMQ nacked the message")));
      connection.addShutdownListener(cause -> fresh.failAll("connection lost: " + cause.getMessage()));
      channel.addShutdownListener(cause -> fresh.failAll("channel closed: " + cause.getMessage()));
      connection.addBlockedListener(reason -> blocked = true, () -> blocked = false);
      blocked = false;
      link = fresh;
      log.info("events: connected to RabbitMQ {} (exchanges {}, {})", config.address(), config.exchange(),
          config.stateExchange());
      return fresh;
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      throw new IllegalStateException("RabbitMQ " + config.address() + " unavailable: " + e, e);
    }
  }

  /** Confirms that never came: drop the connection, which fails them all (replayed from the journal). */
  private void expireUnconfirmed() {
    Link l = link;
    if (l == null || l.pending.isEmpty()) {
      return;
    }
    Map.Entry<Long, Pending> oldest = l.pending.firstEntry();
    if (oldest != null && System.nanoTime() - oldest.getValue().sentNanos() > config.confirmTimeout().toNanos()) {
      drop(l, "no confirm within " + config.confirmTimeout().toMillis() + " ms");
    }
  }

  private void drop(Link l, String why) {
    if (link == l) {
      link = null;
    }
    l.failAll(why);
    try {
      l.connection.abort(1000);
    } catch (RuntimeException ignored) {
      // already gone
    }
  }

  private String exchange(Event e) {
    return e.type().equals(REQUEST_TYPE) ? config.exchange() : config.stateExchange();
  }

  /** The event's key (events.kafka.key for requests, the subject for state events), at most 255 bytes. */
  static String routingKey(Event e) {
    String key = e.key() == null ? "" : e.key();
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_ROUTING_KEY) {
      return key;
    }
    int end = MAX_ROUTING_KEY;
    while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
      end--; // never cut a UTF-8 sequence in two
    }
    return new String(utf8, 0, end, StandardCharsets.UTF_8);
  }

  private AMQP.BasicProperties properties(Event e) {
    AMQP.BasicProperties.Builder b = new AMQP.BasicProperties.Builder()
        .deliveryMode(2)
        .messageId(e.id())
        .timestamp(new Date(e.timeMillis()));
    if (structured) {
      return b.contentType("application/cloudevents+json").contentEncoding("UTF-8").build();
    }
    Map<String, Object> headers = new HashMap<>();
    headers.put("cloudEvents:specversion", "1.0");
    headers.put("cloudEvents:id", e.id());
    headers.put("cloudEvents:source", e.source());
    headers.put("cloudEvents:type", e.type());
    headers.put("cloudEvents:time", e.time());
    if (e.subject() != null) {
      headers.put("cloudEvents:subject", e.subject());
    }
    return b.contentType("application/json").headers(headers).build();
  }

  private byte[] body(Event e) {
    return structured ? e.structuredJson().getBytes(StandardCharsets.UTF_8) : e.data();
  }

  @Override
  public boolean isPermanent(Exception failure) {
    return false;
  }

  @Override
  public void close(Duration timeout) {
    watchdog.shutdownNow();
    Link l = link;
    link = null;
    if (l != null) {
      l.failAll("the publisher stopped");
      try {
        l.connection.close((int) Math.max(1, timeout.toMillis()));
      } catch (IOException | RuntimeException e) {
        l.connection.abort(1000);
      }
    }
  }
}
