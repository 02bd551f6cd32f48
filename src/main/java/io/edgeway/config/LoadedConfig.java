package io.edgeway.config;

import static java.util.Objects.requireNonNull;

/**
 * A valid configuration and where each of its keys was written, for stages that validate further
 * (routing, filter factories) and must report at the right line.
 *
 * @param config the bound configuration
 * @param locations key path to position
 */
public record LoadedConfig(GatewayConfig config, ConfigLocations locations) {

  public LoadedConfig {
    requireNonNull(config, "config");
    requireNonNull(locations, "locations");
  }

  /** A fresh collector for a later stage's problems, resolving paths against this file. */
  public ConfigErrors newErrors() {
    return new ConfigErrors(locations);
  }
}
