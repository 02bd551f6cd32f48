package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * One configuration problem, printed compiler-style:
 * {@code config/edgeway.yaml:14:9: routes[0].upstream.timeouts.connect: 5 parsecs (expected: ...)}.
 *
 * @param source the file name the problem is in
 * @param line 1-based line, or 0 when the problem has no position
 * @param column 1-based column, or 0 when the problem has no position
 * @param path the key path such as {@code routes[0].match.path}; empty for the whole document
 * @param message what is wrong, in the form {@code value (expected: ...)}
 */
public record ConfigError(String source, int line, int column, String path, String message) {

  /** File order: by source, then line, then column. */
  public static final Comparator<ConfigError> FILE_ORDER = Comparator.comparing(ConfigError::source)
      .thenComparingInt(ConfigError::line)
      .thenComparingInt(ConfigError::column);

  public ConfigError {
    requireNonNull(source, "source");
    requireNonNull(path, "path");
    requireNonNull(message, "message");
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException(line + ":" + column + " (expected: a line and column >= 0)");
    }
  }

  static ConfigError at(ConfigPosition position, String path, String message) {
    return new ConfigError(position.source(), position.line(), position.column(), path, message);
  }

  /** The compiler-style line; control characters are escaped so one error is one line of output. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(source.length() + path.length() + message.length() + 16);
    appendEscaped(out, source);
    if (line > 0) {
      out.append(':').append(line).append(':').append(column);
    }
    out.append(": ");
    if (!path.isEmpty()) {
      appendEscaped(out, path);
      out.append(": ");
    }
    appendEscaped(out, message);
    return out.toString();
  }

  // Values come from the file (or the environment); a newline or an ANSI escape sequence in one
  // must not forge extra lines or colours in the operator's terminal or log.
  private static void appendEscaped(StringBuilder out, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029') {
        switch (c) {
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> out.append(String.format("\\u%04x", (int) c));
        }
      } else {
        out.append(c);
      }
    }
  }
}
