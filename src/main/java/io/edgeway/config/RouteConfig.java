package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import io.edgeway.spi.DataSize;
import io.edgeway.spi.Required;
import java.util.List;

/**
 * One route: what it matches, how the path is changed, and where it goes.
 *
 * @param id unique, 1..64 characters from {@code A-Z a-z 0-9 . _ -}
 * @param match what requests the route takes
 * @param stripPrefix leading path segments to remove before forwarding; null for none
 * @param rewrite a path template for the upstream ({@code /v2/users/{id}}); not with stripPrefix
 * @param maxBodySize overrides {@code server.limits.max-body-size}; null to inherit it
 * @param websocket whether Upgrade requests are passed on; default false
 * @param preserveHost send the client's Host upstream instead of the target's; default false
 * @param upstream where requests go
 * @param filters in the order written; default none
 */
public record RouteConfig(
    @Required String id,
    @Required MatchConfig match,
    Integer stripPrefix,
    String rewrite,
    DataSize maxBodySize,
    Boolean websocket,
    Boolean preserveHost,
    @Required UpstreamConfig upstream,
    List<FilterSpec> filters) {

  public RouteConfig {
    requireNonNull(id, "id");
    requireNonNull(match, "match");
    requireNonNull(upstream, "upstream");
    if (!isRouteId(id)) {
      throw new IllegalArgumentException("id: " + (id.isEmpty() ? "\"\"" : id)
          + " (expected: 1 to 64 characters from A-Z a-z 0-9 . _ -)");
    }
    if (stripPrefix != null && stripPrefix < 0) {
      throw new IllegalArgumentException("strip-prefix: " + stripPrefix + " (expected: an integer >= 0)");
    }
    if (stripPrefix != null && rewrite != null) {
      throw new IllegalArgumentException("rewrite: " + rewrite + " (expected: either strip-prefix or rewrite, not both)");
    }
    if (rewrite != null && !rewrite.startsWith("/")) {
      throw new IllegalArgumentException("rewrite: " + (rewrite.isEmpty() ? "\"\"" : rewrite)
          + " (expected: a path template starting with '/', such as /v2/users/{id})");
    }
    websocket = websocket == null ? Boolean.FALSE : websocket;
    preserveHost = preserveHost == null ? Boolean.FALSE : preserveHost;
    filters = filters == null ? List.of() : List.copyOf(filters);
  }

  /** This route's body limit: its own, or the server's. */
  public DataSize effectiveMaxBodySize(LimitsConfig serverLimits) {
    return maxBodySize != null ? maxBodySize : serverLimits.maxBodySize();
  }

  static boolean isRouteId(String id) {
    if (id.isEmpty() || id.length() > 64) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
