package io.edgeway.events;

import io.edgeway.exchange.JsonText;
import io.edgeway.exchange.UtcTimestamps;
import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * One CloudEvent ready for Kafka: the context attributes, the destination, and the JSON data,
 * encoded once on the thread that created it.
 *
 * @param id unique per event ({@code ce_id}); consumers de-duplicate by it
 * @param type e.g. {@code io.edgeway.request.completed.v1}
 * @param source {@code ce_source}
 * @param subject {@code ce_subject}, may be null
 * @param timeMillis {@code ce_time} in epoch milliseconds
 * @param topic destination topic
 * @param key partition key, may be null
 * @param data the JSON data, UTF-8
 */
public record Event(
    String id, String type, String source, String subject, long timeMillis, String topic, String key, byte[] data) {

  public Event {
    requireNonNull(id, "id");
    requireNonNull(type, "type");
    requireNonNull(source, "source");
    requireNonNull(topic, "topic");
    requireNonNull(data, "data");
  }

  /** {@code ce_time}: RFC 3339 in UTC, with milliseconds. */
  public String time() {
    return UtcTimestamps.text(timeMillis);
  }

  /** The event in CloudEvents JSON format (structured mode, and what {@code events tail} prints). */
  public String structuredJson() {
    StringBuilder b = new StringBuilder(data.length + 256).append('{');
    JsonText.appendField(b, "specversion", "1.0").append(',');
    JsonText.appendField(b, "id", id).append(',');
    JsonText.appendField(b, "source", source).append(',');
    JsonText.appendField(b, "type", type).append(',');
    if (subject != null) {
      JsonText.appendField(b, "subject", subject).append(',');
    }
    JsonText.appendField(b, "time", time()).append(',');
    JsonText.appendField(b, "datacontenttype", "application/json").append(',');
    b.append("\"data\":").append(new String(data, StandardCharsets.UTF_8)).append('}');
    return b.toString();
  }
}
