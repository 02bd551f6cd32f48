package io.edgeway.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The schemas under {@code schemas/} are the contract with consumers: every event type the gateway
 * publishes has one, and a schema only changes compatibly with the released baseline
 * ({@code src/test/resources/schema-baseline/}, the schemas as last released; refreshed only at a
 * release). The rules are in docs/events.md ("Schemas and their evolution").
 */
class EventSchemasTest {
  private static final Path SCHEMAS = Path.of("schemas");
  private static final Path BASELINE = Path.of("src/test/resources/schema-baseline");
  // publish("target.ejected", ...) and the breaker's `case OPEN -> "circuit.opened"`.
  private static final Pattern PUBLISHED = Pattern.compile("(?:publish\\(|->\\s*)\"([a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*)\"");
  private static final Set<String> CONSTRAINTS = Set.of("pattern", "minimum", "maximum", "exclusiveMinimum",
      "exclusiveMaximum", "minLength", "maxLength", "format", "const", "minItems", "maxItems");

  @Test
  void everyStateEventTypeTheGatewayPublishesHasASchema() throws IOException {
    Set<String> published = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = PUBLISHED.matcher(Files.readString(file));
        while (m.find()) {
          published.add(m.group(1));
        }
      }
    }
    assertThat(published).contains("config.loaded", "circuit.opened", "target.ejected", "ratelimit.degraded");
    for (String type : published) {
      assertThat(SCHEMAS.resolve("io.edgeway." + type + ".v1.json")).as("schema of io.edgeway.%s.v1", type).exists();
    }
  }

  /**
   * The data of the state events whose publishers need a failing Redis or JWKS endpoint or
   * changing certificate files, as those publishers build it (RateLimitModule, JwtProvider,
   * CertificateReloader); the others are validated from real events
   * by the end-to-end tests.
   */
  @Test
  void stateEventDataAsThePublishersBuildItIsValid() throws Exception {
    Map<String, String> samples = Map.of(
        "io.edgeway.ratelimit.degraded.v1", "{\"subject\":\"api\",\"store\":\"redis\",\"reason\":\"connection refused\"}",
        "io.edgeway.ratelimit.recovered.v1", "{\"subject\":\"api\",\"store\":\"redis\"}",
        "io.edgeway.jwks.updated.v1", "{\"subject\":\"idp\",\"url\":\"https://idp/jwks\",\"keys\":2,\"reason\":\"start-up\"}",
        "io.edgeway.jwks.recovered.v1", "{\"subject\":\"idp\",\"url\":\"https://idp/jwks\"}",
        "io.edgeway.jwks.refresh-failed.v1",
        "{\"subject\":\"idp\",\"url\":\"https://idp/jwks\",\"error\":\"timeout\",\"keysLoaded\":true}",
        "io.edgeway.tls.reloaded.v1", "{\"subject\":\"server.tls\",\"names\":[\"example.com\"]}",
        "io.edgeway.tls.reload-failed.v1",
        "{\"subject\":\"server.tls\",\"error\":\"server.tls.certificates[0].key-file: site.key (expected: ...)\"}");
    for (Map.Entry<String, String> e : samples.entrySet()) {
      EventsTestSupport.assertSchemaValid(e.getKey(), EventsTestSupport.JSON.readTree(e.getValue()));
    }
  }

  @Test
  void everySchemaIsBackwardCompatibleWithTheReleasedBaseline() throws IOException {
    List<String> problems = new ArrayList<>();
    try (Stream<Path> files = Files.list(BASELINE)) {
      for (Path released : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        Path current = SCHEMAS.resolve(released.getFileName());
        if (!Files.exists(current)) {
          problems.add(released.getFileName() + ": removed (expected: a released type stays published)");
          continue;
        }
        problems.addAll(incompatibilities(released.getFileName().toString(), read(released), read(current)));
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theCheckCatchesEachKindOfBreakingChange() throws IOException {
    JsonNode released = read(BASELINE.resolve("io.edgeway.request.completed.v1.json"));
    assertThat(incompatibilities("same", released, released)).isEmpty();

    ObjectNode optionalField = released.deepCopy();
    ((ObjectNode) optionalField.get("properties")).putObject("newField").put("type", "string");
    assertThat(incompatibilities("optional field", released, optionalField)).isEmpty();

    ObjectNode requiredField = optionalField.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) requiredField.get("required")).add("newField");
    assertThat(incompatibilities("required field", released, requiredField)).singleElement().asString()
        .contains("newField").contains("new required field");

    ObjectNode removed = released.deepCopy();
    ((ObjectNode) removed.get("properties")).remove("status");
    assertThat(incompatibilities("removed", released, removed)).anySatisfy(p -> assertThat(p).contains("status"));

    ObjectNode widened = released.deepCopy();
    ((ObjectNode) widened.get("properties").get("status")).putArray("type").add("integer").add("null");
    assertThat(incompatibilities("widened", released, widened)).singleElement().asString().contains("status")
        .contains("type");

    ObjectNode loosened = released.deepCopy();
    ((ObjectNode) loosened.get("properties").get("traceId")).put("pattern", ".*");
    assertThat(incompatibilities("loosened", released, loosened)).singleElement().asString().contains("traceId");
  }

  /** Why a consumer written against {@code released} could break on events valid under {@code current}. */
  static List<String> incompatibilities(String where, JsonNode released, JsonNode current) {
    List<String> out = new ArrayList<>();
    compare(where, released, current, out);
    if (!released.path("$id").equals(current.path("$id"))) {
      out.add(where + ": $id changed (expected: " + released.path("$id") + ")");
    }
    return out;
  }

  private static void compare(String where, JsonNode released, JsonNode current, List<String> out) {
    Set<String> oldTypes = types(released);
    Set<String> newTypes = types(current);
    if (!oldTypes.isEmpty() && !oldTypes.containsAll(newTypes)) {
      out.add(where + ": type " + newTypes + " (expected: within " + oldTypes + "; a new type needs a new version)");
    }
    for (String c : CONSTRAINTS) {
      if (!released.path(c).equals(current.path(c))) {
        out.add(where + ": " + c + " " + current.path(c) + " (expected: " + released.path(c) + ")");
      }
    }
    if (released.has("enum")) {
      Set<JsonNode> oldValues = new HashSet<>();
      released.get("enum").forEach(oldValues::add);
      current.path("enum").forEach(v -> {
        if (!oldValues.contains(v)) {
          out.add(where + ": enum value " + v + " (expected: one of " + released.get("enum") + ")");
        }
      });
      if (!current.has("enum")) {
        out.add(where + ": enum removed (expected: " + released.get("enum") + ")");
      }
    }
    Set<String> oldRequired = strings(released.path("required"));
    Set<String> newRequired = strings(current.path("required"));
    for (String r : oldRequired) {
      if (!newRequired.contains(r)) {
        out.add(where + ": " + r + " no longer required (expected: a field consumers rely on stays)");
      }
    }
    for (String r : newRequired) {
      if (!oldRequired.contains(r)) {
        out.add(where + ": " + r + " is a new required field (expected: new fields are optional;"
            + " journaled events of the released version lack it)");
      }
    }
    if (released.path("additionalProperties").asBoolean(true) && !current.path("additionalProperties").asBoolean(true)) {
      out.add(where + ": additionalProperties now false (expected: true as released)");
    }
    JsonNode oldProps = released.path("properties");
    JsonNode newProps = current.path("properties");
    for (Iterator<String> names = oldProps.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!newProps.has(name)) {
        out.add(where + "." + name + ": removed (expected: released fields stay)");
      } else {
        compare(where + "." + name, oldProps.get(name), newProps.get(name), out);
      }
    }
    if (released.has("items") && current.has("items")) {
      compare(where + "[]", released.get("items"), current.get("items"), out);
    }
    if (released.path("additionalProperties").isObject() && current.path("additionalProperties").isObject()) {
      compare(where + "{}", released.get("additionalProperties"), current.get("additionalProperties"), out);
    }
  }

  private static Set<String> types(JsonNode schema) {
    JsonNode type = schema.path("type");
    Set<String> out = new TreeSet<>();
    if (type.isTextual()) {
      out.add(type.asText());
    } else {
      type.forEach(t -> out.add(t.asText()));
    }
    return out;
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonNode read(Path file) throws IOException {
    return EventsTestSupport.JSON.readTree(Files.readString(file));
  }
}
