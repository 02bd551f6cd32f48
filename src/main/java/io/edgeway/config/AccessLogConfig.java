package io.edgeway.config;

import io.edgeway.spi.YamlKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code access-log} section: the JSON access log, one line per request.
 *
 * @param enabled default true; false: no line is built at all
 * @param output where lines go: {@code stdout} (default) or {@code file}
 * @param file the file and its rotation; used with {@code output: file}
 * @param fields the fields each line carries, by their JSON name; default all of them. Lines
 *     always write them in the documented order, whatever the order here.
 * @param sample2xx the fraction (0 to 1) of lines kept for requests answered below 400 (1xx,
 *     2xx, 3xx); default 1. Errors (status 400 and above) and requests the client aborted are
 *     always logged.
 */
public record AccessLogConfig(Boolean enabled, Output output, AccessLogFileConfig file, List<String> fields,
    @YamlKey("sample-2xx") Double sample2xx) {

  /** Where the lines go. */
  public enum Output { STDOUT, FILE }

  /** Every field a line may carry, in the order lines write them. */
  public static final List<String> FIELDS = List.of("time", "requestId", "traceId", "route", "method", "path", "query",
      "clientIp", "userAgent", "consumer", "status", "error", "upstream", "bytesIn", "bytesOut", "durationMs",
      "clientAborted");

  public AccessLogConfig {
    enabled = enabled == null ? Boolean.TRUE : enabled;
    output = output == null ? Output.STDOUT : output;
    file = file == null ? AccessLogFileConfig.defaults() : file;
    fields = fields == null ? FIELDS : checkedFields(fields);
    sample2xx = sample2xx == null ? 1.0 : sample2xx;
    if (!(sample2xx >= 0.0 && sample2xx <= 1.0)) {
      throw new IllegalArgumentException("sample-2xx: " + sample2xx + " (expected: a fraction from 0 to 1)");
    }
  }

  /** All defaults: on, stdout, every field, every line. */
  public static AccessLogConfig defaults() {
    return new AccessLogConfig(null, null, null, null, null);
  }

  private static List<String> checkedFields(List<String> fields) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("fields: [] (expected: at least one of " + String.join(", ", FIELDS)
          + "; set enabled: false to turn the access log off)");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i);
      if (!FIELDS.contains(name)) {
        String nearest = KeySuggestion.nearest(name, FIELDS);
        throw new IllegalArgumentException("fields[" + i + "]: " + name + " (expected one of: " + String.join(", ", FIELDS)
            + (nearest == null ? "" : "; did you mean '" + nearest + "'?") + ")");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("fields[" + i + "]: " + name + " (expected: each field once)");
      }
    }
    List<String> ordered = new ArrayList<>(FIELDS);
    ordered.retainAll(seen);
    return List.copyOf(ordered);
  }
}
