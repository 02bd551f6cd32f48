package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * One entry of a route's {@code filters} list: a single-key map from the filter's name to its
 * configuration. The configuration is bound only once the filter factory (and so its config type)
 * is known, from the YAML the {@link LoadedConfig} holds ({@link LoadedConfig#filterConfig}); this
 * record keeps it as plain values, so a running gateway holds no YAML and a reload can tell an
 * unchanged filter from a changed one by {@code equals}.
 *
 * @param name the filter's name, e.g. {@code request-headers}
 * @param settings the filter's configuration as plain values (see {@link PlainValues}: maps, lists,
 *     strings, numbers, booleans); null for an empty entry ({@code - cors:}, all defaults)
 */
public record FilterSpec(String name, Object settings) {

  private static final String SHAPE = "a single-key map: filter name -> config";

  public FilterSpec {
    requireNonNull(name, "name");
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
    NodeTuple tuple = single(entry);
    return new FilterSpec(((ScalarNode) tuple.getKeyNode()).getValue(), PlainValues.of(tuple.getValueNode()));
  }

  /**
   * The YAML of an entry's configuration, at its own path ({@code routes[0].filters[1].cors}): what
   * a filter factory's config record is bound from.
   *
   * @throws IllegalArgumentException when the entry is not a single-key map
   */
  public static ConfigNode configOf(ConfigNode entry) {
    NodeTuple tuple = single(entry);
    String name = ((ScalarNode) tuple.getKeyNode()).getValue();
    return new ConfigNode(entry.source(), KeyPath.key(entry.path(), name), tuple.getValueNode());
  }

  private static NodeTuple single(ConfigNode entry) {
    requireNonNull(entry, "entry");
    if (!(entry.node() instanceof MappingNode mapping) || mapping.getValue().size() != 1
        || !(mapping.getValue().get(0).getKeyNode() instanceof ScalarNode)) {
      throw new IllegalArgumentException(entry.describe() + " (expected: " + SHAPE + ")");
    }
    return mapping.getValue().get(0);
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
