package io.edgeway.auth;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Configuration of the {@code api-key} filter.
 *
 * @param keys consumer name to key value (usually {@code ${ENV}}); values at least 16 characters
 *     and distinct (required)
 * @param header the request header carrying the key; default {@code X-Api-Key}
 * @param consumerHeader if set, the consumer name is sent upstream in this header (removed from
 *     the incoming request first)
 * @param realm the realm of {@code WWW-Authenticate}; default edgeway
 */
public record ApiKeyConfig(Map<String, String> keys, String header, String consumerHeader, String realm) {

  public ApiKeyConfig {
    if (keys == null || keys.isEmpty()) {
      throw new IllegalArgumentException("keys: " + keys + " (expected: at least one name: key entry)");
    }
    keys = Map.copyOf(keys);
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, String> e : keys.entrySet()) {
      String value = e.getValue();
      // Never echo a key value in a message.
      if (value == null || value.getBytes(StandardCharsets.UTF_8).length < 16) {
        throw new IllegalArgumentException("keys: " + e.getKey() + " (expected: a key of at least 16 characters)");
      }
      if (!seen.add(value)) {
        throw new IllegalArgumentException("keys: " + e.getKey() + " (expected: each key value used by one consumer only)");
      }
    }
    header = header == null ? "X-Api-Key" : header;
    checkName("header", header);
    if (consumerHeader != null) {
      checkName("consumer-header", consumerHeader);
    }
    realm = realm == null ? "edgeway" : realm;
    if (!realm.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
      throw new IllegalArgumentException("realm: " + realm + " (expected: printable ASCII without quotes or backslashes)");
    }
  }

  private static void checkName(String key, String name) {
    if (name.isEmpty() || !name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
      throw new IllegalArgumentException(key + ": " + name + " (expected: a header name such as X-Api-Key)");
    }
  }

  /** Never prints the keys. */
  @Override
  public String toString() {
    return "ApiKeyConfig[consumers=" + keys.keySet().stream().sorted().toList() + ", header=" + header + "]";
  }
}
