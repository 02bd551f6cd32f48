package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A place in a configuration source.
 *
 * @param source the file name (or another label) the configuration came from
 * @param line 1-based line, or 0 when unknown (e.g. the whole file could not be read)
 * @param column 1-based column, or 0 when unknown
 */
public record ConfigPosition(String source, int line, int column) {

  public ConfigPosition {
    requireNonNull(source, "source");
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException(line + ":" + column + " (expected: a line and column >= 0)");
    }
  }

  /** The position where {@code node} starts, or line 0 when the node carries no mark. */
  static ConfigPosition of(String source, Node node) {
    return node == null ? new ConfigPosition(source, 0, 0) : of(source, node.getStartMark());
  }

  static ConfigPosition of(String source, Optional<Mark> mark) {
    // snakeyaml marks are 0-based; compilers and editors count from 1.
    return mark.map(m -> new ConfigPosition(source, m.getLine() + 1, m.getColumn() + 1))
        .orElseGet(() -> new ConfigPosition(source, 0, 0));
  }
}
