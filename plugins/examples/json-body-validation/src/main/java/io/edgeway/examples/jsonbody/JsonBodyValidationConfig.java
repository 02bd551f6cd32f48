package io.edgeway.examples.jsonbody;

import io.edgeway.spi.DataSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code json-body-validation}'s configuration:
 *
 * <pre>{@code
 * - json-body-validation:
 *     schema:                        # inline, as YAML (or JSON/YAML text in a block scalar); or:
 *       type: object
 *       required: [name]
 *     # schema-file: schemas/order.json   (read once when the route is built)
 *     methods: [POST, PUT, PATCH]    # the default
 *     max-body: 1MiB                 # the default; larger bodies get 413
 *     content-types: [application/json, +json]   # the default; others get 415
 *     max-violations: 20             # the default; violations listed in a 400
 * }</pre>
 *
 * @param schema the JSON Schema written inline as YAML (a mapping, or {@code true}/{@code false}), or as
 *     JSON or YAML text; exactly one of this and {@code schemaFile}
 * @param schemaFile a file holding the JSON Schema (JSON, or YAML when not starting with a brace)
 * @param methods the request methods whose bodies are validated (upper-cased)
 * @param maxBody the largest body read for validation, 1B..16MiB
 * @param contentTypes accepted media types ({@code application/json}) and suffixes ({@code +json})
 * @param maxViolations the most violations listed in a response, 1..1000
 */
public record JsonBodyValidationConfig(Object schema, String schemaFile, List<String> methods, DataSize maxBody,
    List<String> contentTypes, Integer maxViolations) {

  /** The largest {@code max-body}: validation runs on the event loop, so its cost must stay bounded. */
  static final DataSize MAX_BODY_LIMIT = DataSize.ofBytes(16L << 20);

  /** Applies the defaults and validates every value. */
  public JsonBodyValidationConfig {
    if (schema == null && schemaFile == null) {
      throw new IllegalArgumentException("schema: null (expected: a JSON Schema, or schema-file naming a file with one)");
    }
    if (schema != null && schemaFile != null) {
      throw new IllegalArgumentException("schema-file: " + schemaFile + " (expected: either schema or schema-file, not both)");
    }
    if (schema instanceof String text && text.isBlank()) {
      throw new IllegalArgumentException("schema: '' (expected: a JSON Schema as JSON or YAML text)");
    }
    if (schema != null && !(schema instanceof String || schema instanceof Map || schema instanceof Boolean)) {
      throw new IllegalArgumentException("schema: " + schema
          + " (expected: a JSON Schema: a mapping, true or false, or JSON or YAML text)");
    }
    if (schemaFile != null && schemaFile.isBlank()) {
      throw new IllegalArgumentException("schema-file: '' (expected: a file path)");
    }
    methods = methods == null ? List.of("POST", "PUT", "PATCH") : upperCaseMethods(methods);
    maxBody = maxBody == null ? DataSize.ofBytes(1L << 20) : maxBody;
    if (maxBody.bytes() < 1 || maxBody.bytes() > MAX_BODY_LIMIT.bytes()) {
      throw new IllegalArgumentException("max-body: " + maxBody + " (expected: 1B.." + MAX_BODY_LIMIT + ")");
    }
    contentTypes = contentTypes == null ? List.of("application/json", "+json") : checkedContentTypes(contentTypes);
    maxViolations = maxViolations == null ? 20 : maxViolations;
    if (maxViolations < 1 || maxViolations > 1000) {
      throw new IllegalArgumentException("max-violations: " + maxViolations + " (expected: 1..1000)");
    }
  }

  private static List<String> upperCaseMethods(List<String> methods) {
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("methods: [] (expected: at least one method, such as POST)");
    }
    List<String> upper = new ArrayList<>(methods.size());
    for (int i = 0; i < methods.size(); i++) {
      String method = methods.get(i);
      if (!method.matches("[A-Za-z]{1,20}")) {
        throw new IllegalArgumentException("methods[" + i + "]: " + method + " (expected: an HTTP method such as POST)");
      }
      upper.add(method.toUpperCase(Locale.ROOT));
    }
    return List.copyOf(upper);
  }

  private static List<String> checkedContentTypes(List<String> types) {
    if (types.isEmpty()) {
      throw new IllegalArgumentException("content-types: [] (expected: at least one media type, such as application/json)");
    }
    List<String> lower = new ArrayList<>(types.size());
    for (int i = 0; i < types.size(); i++) {
      String type = types.get(i).toLowerCase(Locale.ROOT);
      // RFC 9110 token characters, without the wildcard a media range would allow.
      String token = "[a-z0-9!#$&^_.+-]+";
      if (!type.matches(token + "/" + token) && !type.matches("\\+" + token)) {
        throw new IllegalArgumentException("content-types[" + i + "]: " + types.get(i)
            + " (expected: a media type such as application/json, or a suffix such as +json)");
      }
      lower.add(type);
    }
    return List.copyOf(lower);
  }
}
