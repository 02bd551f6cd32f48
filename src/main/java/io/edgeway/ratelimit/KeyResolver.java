package io.edgeway.ratelimit;

import io.edgeway.spi.Exchange;
import io.edgeway.spi.StandardAttributes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Turns a request into the per-client part of a bucket key, from parts chosen at load time. The
 * IP is the one the core resolved through {@code trusted-proxies} (never a raw
 * {@code X-Forwarded-For}); the path never takes part (one route, one bucket space: G2).
 *
 * <p>Parts are tagged ({@code ip=}, {@code c=}, {@code h=}) so an authenticated consumer named
 * like an IP never shares the bucket of that IP, and joined with a line feed, which no header value
 * can contain. Values longer than {@value #MAX_PLAIN} characters are replaced by their SHA-256, so
 * a bucket key stays small whatever a client sends.
 */
final class KeyResolver {
  static final int MAX_PLAIN = 128;

  private sealed interface Part permits Ip, Consumer, Header, Route {}

  private record Ip() implements Part {}

  private record Consumer() implements Part {}

  private record Header(String name) implements Part {}

  private record Route() implements Part {}

  private final Part[] parts;

  private KeyResolver(Part[] parts) {
    this.parts = parts;
  }

  static KeyResolver of(List<String> key) {
    Part[] parts = new Part[key.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = parse(key.get(i));
    }
    return new KeyResolver(parts);
  }

  /** Validates one configured part; the message follows {@code key: value (expected: ...)}. */
  static void checkPart(String part) {
    parse(part);
  }

  private static Part parse(String part) {
    String lower = part == null ? "" : part.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "ip":
        return new Ip();
      case "consumer":
        return new Consumer();
      case "route":
        return new Route();
      default:
        if (lower.startsWith("header:")) {
          String name = part.substring("header:".length()).trim();
          if (name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            return new Header(name);
          }
        }
        throw new IllegalArgumentException("key: " + part
            + " (expected: ip, consumer, route, header:<Header-Name>, or a list of these)");
    }
  }

  /**
   * The client part of the key, or null when a header part is missing.
   */
  String resolve(Exchange exchange) {
    if (parts.length == 1) {
      return one(parts[0], exchange);
    }
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < parts.length; i++) {
      String value = one(parts[i], exchange);
      if (value == null) {
        return null;
      }
      if (i > 0) {
        sb.append('\n');
      }
      sb.append(value);
    }
    return sb.toString();
  }

  private static String one(Part part, Exchange exchange) {
    if (part instanceof Ip) {
      return "ip=" + exchange.request().clientIp();
    }
    if (part instanceof Consumer) {
      String consumer = exchange.get(StandardAttributes.CONSUMER);
      return consumer == null || consumer.isEmpty()
          ? "ip=" + exchange.request().clientIp()
          : "c=" + bounded(consumer);
    }
    if (part instanceof Header header) {
      String value = exchange.request().headers().get(header.name());
      if (value == null || value.isBlank()) {
        return null;
      }
      return "h=" + bounded(value.trim());
    }
    return "route";
  }

  private static String bounded(String value) {
    if (value.length() <= MAX_PLAIN) {
      return value;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
