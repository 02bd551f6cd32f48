package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration that cannot be used, with every problem found in it (in file order). */
public final class ConfigException extends Exception {

  private final List<ConfigError> errors;

  /**
   * @param errors the problems, at least one
   */
  public ConfigException(List<ConfigError> errors) {
    super(render(errors));
    this.errors = List.copyOf(errors);
  }

  /** The problems in file order. */
  public List<ConfigError> errors() {
    return errors;
  }

  private static String render(List<ConfigError> errors) {
    requireNonNull(errors, "errors");
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("errors: [] (expected: at least one error)");
    }
    return errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n"));
  }
}
