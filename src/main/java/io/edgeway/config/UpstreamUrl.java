package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where an upstream target listens: {@code http://10.0.0.5:9001} or {@code https://api.internal}.
 * Only scheme, host and port: a path, query, fragment or user info in the URL is rejected (the
 * route's {@code rewrite} is the place to change paths; credentials belong in a filter).
 *
 * @param scheme {@code http} or {@code https}
 * @param host a DNS name or an IP literal, without brackets ({@code ::1}), lower case
 * @param port 1..65535; 80 or 443 when the URL has none
 */
public record UpstreamUrl(String scheme, String host, int port) {

  private static final String EXPECTED = "an http or https URL such as http://10.0.0.5:8080";

  public UpstreamUrl {
    requireNonNull(scheme, "scheme");
    requireNonNull(host, "host");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(scheme + " (expected: http or https)");
    }
    if (!ComponentChecks.isHostOrAddress(host)) {
      throw new IllegalArgumentException(host + " (expected: a host name or an IP address)");
    }
    ComponentChecks.range("port", port, 1, 65535);
  }

  /**
   * Parses an upstream URL without resolving its host.
   *
   * @throws IllegalArgumentException with a message {@code value (expected: ...)}
   */
  public static UpstreamUrl parse(String text) {
    requireNonNull(text, "text");
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(text + " (expected: " + EXPECTED + ")");
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.isOpaque()) {
      throw new IllegalArgumentException(text + " (expected: " + EXPECTED + ")");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(text + " (expected: no user info in an upstream URL)");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(text + " (expected: a URL with a host, such as http://10.0.0.5:8080)");
    }
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      throw new IllegalArgumentException(text + " (expected: no path in an upstream URL; use the route's rewrite)");
    }
    if (uri.getRawQuery() != null) {
      throw new IllegalArgumentException(text + " (expected: no query in an upstream URL)");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException(text + " (expected: no fragment in an upstream URL)");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort();
    if (port == -1) {
      port = scheme.equals("https") ? 443 : 80;
    } else if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(text + " (expected: a port from 1 to 65535)");
    }
    return new UpstreamUrl(scheme, host, port);
  }

  /** Whether the target is reached over TLS. */
  public boolean tls() {
    return scheme.equals("https");
  }

  /** The {@code Host} header value for this target: {@code host[:port]}, IPv6 in brackets. */
  public String authority() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    boolean defaultPort = port == (tls() ? 443 : 80);
    return defaultPort ? h : h + ":" + port;
  }

  @Override
  public String toString() {
    return scheme + "://" + authority();
  }
}
