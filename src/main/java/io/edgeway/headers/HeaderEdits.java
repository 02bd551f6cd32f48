package io.edgeway.headers;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;

/**
 * Header edits shared by {@code request-headers} and {@code response-headers}: {@code remove}
 * first, then {@code set} (replace), then {@code add} (append). Names and values are validated
 * at load time: a name must be an RFC 9110 token and a value must not contain CR, LF or NUL.
 *
 * @param set headers to replace
 * @param add headers to append
 * @param remove header names to remove
 */
public record HeaderEdits(Map<String, String> set, Map<String, String> add, List<String> remove) {

  public HeaderEdits {
    set = set == null ? Map.of() : Map.copyOf(set);
    add = add == null ? Map.of() : Map.copyOf(add);
    remove = remove == null ? List.of() : List.copyOf(remove);
    set.forEach(HeaderEdits::checkHeader);
    add.forEach(HeaderEdits::checkHeader);
    remove.forEach(name -> checkHeader(name, ""));
  }

  /** Applies the edits in place. */
  public void applyTo(MultiMap headers) {
    for (String name : remove) {
      headers.remove(name);
    }
    set.forEach(headers::set);
    add.forEach(headers::add);
  }

  boolean isEmpty() {
    return set.isEmpty() && add.isEmpty() && remove.isEmpty();
  }

  private static void checkHeader(String name, String value) {
    if (name == null || name.isEmpty() || !name.chars().allMatch(HeaderEdits::isTokenChar)) {
      throw new IllegalArgumentException("header name: " + name + " (expected: an HTTP token such as X-Api-Version)");
    }
    if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
      throw new IllegalArgumentException("header " + name + ": value contains CR, LF or NUL (expected: a single-line value)");
    }
  }

  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
