package io.edgeway.config;

import static java.util.Objects.requireNonNull;

/**
 * What consistent hashing hashes: {@code ip}, {@code path}, {@code consumer} or
 * {@code header:<Name>}.
 *
 * @param kind what is hashed
 * @param header the header name for {@link Kind#HEADER}, else null
 */
public record HashOn(Kind kind, String header) {

  private static final String EXPECTED = "ip, path, consumer or header:<Name>";

  /** What is hashed. */
  public enum Kind {
    /** The client address (after trusted-proxy resolution). */
    IP,
    /** The request path. */
    PATH,
    /** A request header's value. */
    HEADER,
    /** The authenticated consumer. */
    CONSUMER
  }

  public HashOn {
    requireNonNull(kind, "kind");
    if ((kind == Kind.HEADER) != (header != null)) {
      throw new IllegalArgumentException(kind + " with header " + header + " (expected: a header name exactly for HEADER)");
    }
    if (header != null && !ComponentChecks.isToken(header)) {
      throw new IllegalArgumentException("header:" + header + " (expected: a valid header name after 'header:')");
    }
  }

  /**
   * Parses the YAML form.
   *
   * @throws IllegalArgumentException with a message {@code value (expected: ...)}
   */
  public static HashOn parse(String text) {
    requireNonNull(text, "text");
    return switch (text) {
      case "ip" -> new HashOn(Kind.IP, null);
      case "path" -> new HashOn(Kind.PATH, null);
      case "consumer" -> new HashOn(Kind.CONSUMER, null);
      default -> {
        if (!text.startsWith("header:")) {
          throw new IllegalArgumentException(text + " (expected: " + EXPECTED + ")");
        }
        yield new HashOn(Kind.HEADER, text.substring("header:".length()));
      }
    };
  }

  @Override
  public String toString() {
    return kind == Kind.HEADER ? "header:" + header : ScalarParsers.kebab(kind);
  }
}
