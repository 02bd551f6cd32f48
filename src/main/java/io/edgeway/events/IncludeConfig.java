package io.edgeway.events;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Optional request data in {@code request.completed} events. Credentials never go into events:
 * {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie} and {@code Set-Cookie} are
 * rejected here, and bodies are never read.
 *
 * @param query include the raw query string; default false (queries often carry tokens)
 * @param requestHeaders request headers copied into the event; default [User-Agent]
 * @param responseHeaders response headers copied into the event; default none
 */
public record IncludeConfig(Boolean query, List<String> requestHeaders, List<String> responseHeaders) {
  private static final Set<String> FORBIDDEN =
      Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

  public IncludeConfig {
    query = query == null ? Boolean.FALSE : query;
    requestHeaders = headers("request-headers", requestHeaders == null ? List.of("User-Agent") : requestHeaders);
    responseHeaders = headers("response-headers", responseHeaders == null ? List.of() : responseHeaders);
  }

  public static IncludeConfig defaults() {
    return new IncludeConfig(null, null, null);
  }

  private static List<String> headers(String key, List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (name == null || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new IllegalArgumentException(key + "[" + i + "]: " + name + " (expected: a header name)");
      }
      if (FORBIDDEN.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(key + "[" + i + "]: " + name
            + " (expected: not a credential header; Authorization and cookies never go into events)");
      }
    }
    return List.copyOf(names);
  }
}
