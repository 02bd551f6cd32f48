package io.edgeway.cors;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Configuration of the {@code cors} filter.
 *
 * @param allowOrigins exact origins such as {@code https://app.example.com}, or {@code *}
 * @param allowMethods methods allowed cross-origin; default GET, HEAD, POST, PUT, PATCH, DELETE
 * @param allowHeaders request headers allowed cross-origin; default: those the preflight asks for
 * @param exposeHeaders response headers the browser may read
 * @param allowCredentials whether cookies/authorization may be sent; not allowed with {@code *}
 * @param maxAge how long a browser may cache a preflight answer; default 10m
 */
public record CorsConfig(
    List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
    List<String> exposeHeaders, Boolean allowCredentials, Duration maxAge) {

  public CorsConfig {
    allowOrigins = allowOrigins == null ? List.of() : List.copyOf(allowOrigins);
    if (allowOrigins.isEmpty()) {
      throw new IllegalArgumentException("allow-origins: [] (expected: at least one origin, or \"*\")");
    }
    for (String origin : allowOrigins) {
      if (!origin.equals("*") && !origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
        throw new IllegalArgumentException("allow-origins: " + origin
            + " (expected: scheme://host[:port] without path, such as https://app.example.com, or \"*\")");
      }
    }
    allowMethods = allowMethods == null ? List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE") : List.copyOf(allowMethods);
    allowHeaders = allowHeaders == null ? List.of() : List.copyOf(allowHeaders);
    exposeHeaders = exposeHeaders == null ? List.of() : List.copyOf(exposeHeaders);
    allowCredentials = allowCredentials != null && allowCredentials;
    maxAge = maxAge == null ? Duration.ofMinutes(10) : maxAge;
    if (allowCredentials && allowOrigins.contains("*")) {
      throw new IllegalArgumentException("allow-credentials: true with allow-origins \"*\" (expected: explicit origins when credentials are allowed)");
    }
  }

  boolean anyOrigin() {
    return allowOrigins.contains("*");
  }

  Set<String> originSet() {
    return allowOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }
}
