package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import io.edgeway.spi.Required;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What requests a route takes. The path syntax is checked by the routing stage.
 *
 * @param path a path pattern such as {@code /api/users/**}
 * @param methods allowed methods, upper case (methods are case-sensitive); empty means any
 * @param host a host such as {@code api.example.com} or {@code *.example.com}; null means any
 * @param headers headers that must be present with exactly these values; empty means none
 */
public record MatchConfig(@Required String path, List<String> methods, String host, Map<String, String> headers) {

  /** The methods a route may name, in the order they are listed in messages. */
  public static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

  private static final Set<String> METHOD_SET = Set.copyOf(METHODS);

  public MatchConfig {
    requireNonNull(path, "path");
    if (path.isEmpty()) {
      throw new IllegalArgumentException("path: \"\" (expected: a path pattern such as /api/users/**)");
    }
    if (methods == null) {
      methods = List.of();
    } else {
      if (methods.isEmpty()) {
        throw new IllegalArgumentException("methods: [] (expected: at least one method, or no methods key to allow any)");
      }
      List<String> seen = new ArrayList<>(methods.size());
      for (int i = 0; i < methods.size(); i++) {
        String method = methods.get(i);
        if (!METHOD_SET.contains(method)) {
          throw new IllegalArgumentException("methods[" + i + "]: " + method + " (expected: one of "
              + String.join(", ", METHODS) + "; methods are case-sensitive)");
        }
        if (seen.contains(method)) {
          throw new IllegalArgumentException("methods[" + i + "]: " + method + " (expected: each method once)");
        }
        seen.add(method);
      }
      methods = List.copyOf(methods);
    }
    if (host != null && host.isEmpty()) {
      throw new IllegalArgumentException("host: \"\" (expected: a host such as api.example.com or *.example.com)");
    }
    if (headers == null) {
      headers = Map.of();
    } else {
      for (Map.Entry<String, String> header : headers.entrySet()) {
        if (!ComponentChecks.isToken(header.getKey())) {
          throw new IllegalArgumentException(KeyPath.key("headers", header.getKey()) + ": " + header.getKey()
              + " (expected: a header name made of letters, digits and !#$%&'*+-.^_`|~)");
        }
        if (!ComponentChecks.isFieldValue(header.getValue())) {
          throw new IllegalArgumentException(KeyPath.key("headers", header.getKey()) + ": " + header.getValue()
              + " (expected: a header value without control characters)");
        }
      }
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
  }
}
