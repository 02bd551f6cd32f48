package io.edgeway.examples.jsonbody;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads and checks a route's JSON Schema, once, when the route is built (never on a request):
 * reading a schema file is blocking I/O, and compiling a schema is the expensive part of validation.
 */
final class JsonSchemas {
  private static final SchemaRegistryConfig CONFIG = SchemaRegistryConfig.builder()
      // Instance paths as RFC 6901 JSON Pointers ("/items/0/sku"), the form problem details use.
      .pathType(PathType.JSON_POINTER)
      // Messages must not follow the host's default locale.
      .locale(Locale.ENGLISH)
      .build();

  // Draft 2020-12 unless the schema names its own dialect with "$schema". Remote "$ref"s are never
  // fetched: that would be network I/O at load time, or worse, later on an event loop. A schema must
  // be self-contained (local "$ref"s into "$defs" work); the dialects' meta-schemas ship in the validator.
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      builder -> builder.schemaRegistryConfig(CONFIG).schemaLoader(loader -> loader.fetchRemoteResources(false)));

  private JsonSchemas() {}

  /**
   * The compiled schema of a configuration, every {@code $ref} resolved.
   *
   * @throws IllegalArgumentException {@code schema: ... (expected: ...)} when it cannot be read, parsed
   *     or is not a valid JSON Schema; the gateway reports it at the filter's position
   */
  static Schema load(JsonBodyValidationConfig config) {
    String key;
    String text;
    if (config.schemaFile() != null) {
      key = "schema-file";
      try {
        text = Files.readString(Path.of(config.schemaFile()));
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("schema-file: " + config.schemaFile() + " (expected: a readable file; "
            + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
      }
    } else if (config.schema() instanceof String inline) {
      key = "schema";
      text = inline;
    } else {
      // Written as YAML in the gateway's configuration: the gateway bound it as plain maps, lists and
      // scalars, which become the same tree JSON text would.
      key = "schema";
      text = null;
    }
    JsonNode node = text != null ? parse(key, text) : JsonMapper.shared().valueToTree(config.schema());
    if (!node.isObject() && !node.isBoolean()) {
      throw new IllegalArgumentException(key + ": " + node.getNodeType().toString().toLowerCase(Locale.ROOT)
          + " (expected: a JSON Schema, which is an object or a boolean)");
    }
    checkAgainstMetaSchema(key, node);
    try {
      Schema schema = REGISTRY.getSchema(node);
      schema.initializeValidators(); // resolves every $ref now, so a dangling one fails the load, not a request
      return schema;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage() + " (expected: a valid JSON Schema)", e);
    }
  }

  private static JsonNode parse(String key, String text) {
    boolean json = text.stripLeading().startsWith("{");
    try {
      return json ? JsonMapper.shared().readTree(text) : YAMLMapper.shared().readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(key + ": " + e.getOriginalMessage() + " (expected: a JSON Schema as "
          + (json ? "JSON" : "YAML") + ")", e);
    }
  }

  // The validator compiles what it understands and ignores the rest, so `type: strin` or
  // `required: name` would quietly validate nothing. The dialect's meta-schema catches those.
  private static void checkAgainstMetaSchema(String key, JsonNode node) {
    String dialect = node.isObject() && node.get("$schema") != null && node.get("$schema").isString()
        ? node.get("$schema").asString()
        : SpecificationVersion.DRAFT_2020_12.getDialectId();
    Schema metaSchema;
    try {
      metaSchema = REGISTRY.getSchema(SchemaLocation.of(dialect));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + ": $schema " + dialect
          + " (expected: a JSON Schema dialect the validator ships, such as " + SpecificationVersion.DRAFT_2020_12.getDialectId()
          + ")", e);
    }
    List<Error> errors = metaSchema.validate(node);
    if (!errors.isEmpty()) {
      Error first = errors.get(0);
      String at = first.getInstanceLocation().toString();
      throw new IllegalArgumentException(key + ": " + (at.isEmpty() ? "" : at + ": ") + first.getMessage()
          + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "")
          + " (expected: a valid JSON Schema of " + dialect + ")");
    }
  }
}
