package io.edgeway.events;

import io.edgeway.exchange.JsonEncoder;
import io.edgeway.runtime.StateEvents;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The {@link StateEvents} sink while events are on: each state change becomes an
 * {@code io.edgeway.<type>.v1} CloudEvent on the state topic, keyed by its subject (so the changes
 * of one breaker or target stay in order), and is still logged by the previous sink.
 */
final class CloudStateEvents implements StateEvents {
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");

  private final String source;
  private final String topic;
  private final StateEvents previous;
  private final Consumer<Event> sink;
  private final LongSupplier clockMillis;

  CloudStateEvents(EventsConfig config, StateEvents previous, Consumer<Event> sink, LongSupplier clockMillis) {
    this.source = config.source();
    this.topic = config.kafka().stateTopic();
    this.previous = previous;
    this.sink = sink;
    this.clockMillis = clockMillis;
  }

  @Override
  public void publish(String type, String subject, Map<String, Object> data) {
    if (previous != null) {
      previous.publish(type, subject, data);
    }
    if (type == null || !TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException("type: " + type + " (expected: e.g. circuit.opened)");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", subject);
    if (data != null) {
      data.forEach(body::putIfAbsent);
    }
    // The jar's own codec: a state event carrying a record would fail here in tests too, not only in production.
    byte[] json = JsonEncoder.encode(new JsonObject(body)).getBytes(StandardCharsets.UTF_8);
    sink.accept(new Event(EventIds.next(), "io.edgeway." + type + ".v1", source, subject, clockMillis.getAsLong(),
        topic, subject, json));
  }
}
