package io.edgeway.examples.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One CloudEvent read from a Kafka record in either content mode of the CloudEvents Kafka binding:
 * binary ({@code ce_*} headers, the data as the value) or structured (the whole event as
 * {@code application/cloudevents+json}).
 *
 * @param id {@code ce_id}, the de-duplication key; null when the record is not a CloudEvent
 * @param type {@code ce_type}
 * @param data the event data; null when absent or not JSON
 */
record CloudEventRecord(String id, String type, JsonNode data) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static CloudEventRecord of(ConsumerRecord<String, byte[]> record) {
    String contentType = header(record, "content-type");
    JsonNode value = parse(record.value());
    if (contentType != null && contentType.startsWith("application/cloudevents+json")) {
      if (value == null) {
        return new CloudEventRecord(null, null, null);
      }
      return new CloudEventRecord(text(value, "id"), text(value, "type"), value.get("data"));
    }
    return new CloudEventRecord(header(record, "ce_id"), header(record, "ce_type"), value);
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static JsonNode parse(byte[] value) {
    if (value == null) {
      return null;
    }
    try {
      return JSON.readTree(value);
    } catch (IOException notJson) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isTextual() ? null : v.asText();
  }
}
