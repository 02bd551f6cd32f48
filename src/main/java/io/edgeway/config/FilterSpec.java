package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * One entry of a route's {@code filters} list: a single-key map from the filter's name to its
 * configuration, which stays unbound until the filter factory (and so its config type) is known.
 *
 * @param name the filter's name, e.g. {@code request-headers}
 * @param config the filter's configuration; an empty node ({@code - cors:}) means all defaults
 */
public record FilterSpec(String name, ConfigNode config) {

  private static final String SHAPE = "a single-key map: filter name -> config";

  public FilterSpec {
    requireNonNull(name, "name");
    requireNonNull(config, "config");
    if (!isFilterName(name)) {
      throw new IllegalArgumentException(name + " (expected: a filter name in kebab-case such as request-headers)");
    }
  }

  /**
   * Reads {@code - name: config}; the {@link Binder} calls this for each list entry.
   *
   * @throws IllegalArgumentException when the entry is not a single-key map
   */
  public static FilterSpec of(ConfigNode entry) {
    requireNonNull(entry, "entry");
    if (!(entry.node() instanceof MappingNode mapping) || mapping.getValue().size() != 1) {
      throw new IllegalArgumentException(entry.describe() + " (expected: " + SHAPE + ")");
    }
    NodeTuple tuple = mapping.getValue().get(0);
    if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
      throw new IllegalArgumentException(entry.describe() + " (expected: " + SHAPE + ")");
    }
    String name = key.getValue();
    return new FilterSpec(name, new ConfigNode(entry.source(), KeyPath.key(entry.path(), name), tuple.getValueNode()));
  }

  private static boolean isFilterName(String name) {
    if (name.isEmpty() || name.length() > 64 || name.charAt(0) == '-' || name.charAt(name.length() - 1) == '-') {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
