package io.edgeway.config;

/**
 * A validation that needs knowledge the config package does not have (such as which filters
 * exist), run by {@link ConfigLoader} on the raw tree in the same pass as binding, so every error
 * is reported at once.
 */
@FunctionalInterface
public interface ConfigCheck {
  ConfigCheck NONE = (root, errors) -> {};

  /**
   * @param root the whole document (env-substituted), path ""
   * @param errors where to report, with positions
   */
  void check(ConfigNode root, ConfigErrors errors);
}
