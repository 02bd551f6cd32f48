package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A valid configuration with what only validation needs: where each key was written and the
 * YAML the filter configurations are bound from. It lives while a configuration is loaded,
 * validated and compiled (at start-up, {@code --check}, a reload); a running gateway keeps
 * {@link #config()} alone, which holds no YAML and no positions.
 *
 * @param config the bound configuration
 * @param tree the checked YAML document ({@code ${ENV}} substituted) the configuration was bound
 *     from; its nodes carry their positions
 */
public record LoadedConfig(GatewayConfig config, ConfigNode tree) {

  public LoadedConfig {
    requireNonNull(config, "config");
    requireNonNull(tree, "tree");
  }

  /** Where each key path was written. */
  public ConfigLocations locations() {
    return new ConfigLocations(tree);
  }

  /** A fresh collector for a later stage's problems, resolving paths against this file. */
  public ConfigErrors newErrors() {
    return new ConfigErrors(locations());
  }

  /**
   * The YAML of {@code routes[route].filters[filter]}'s configuration, at its path
   * ({@code routes[0].filters[1].cors}), for binding to the filter factory's config record.
   *
   * @throws IndexOutOfBoundsException when the configuration has no such filter
   */
  public ConfigNode filterConfig(int route, int filter) {
    String routePath = KeyPath.index("routes", route);
    String entryPath = KeyPath.index(KeyPath.key(routePath, "filters"), filter);
    Node routeNode = item(ConfigNode.child(tree.node(), "routes"), route, routePath);
    Node entry = item(ConfigNode.child(routeNode, "filters"), filter, entryPath);
    return FilterSpec.configOf(new ConfigNode(tree.source(), entryPath, entry));
  }

  private static Node item(Node sequence, int index, String path) {
    if (!(sequence instanceof SequenceNode list) || index < 0 || index >= list.getValue().size()) {
      throw new IndexOutOfBoundsException(path + " (expected: an entry of the loaded configuration)");
    }
    return list.getValue().get(index);
  }
}
