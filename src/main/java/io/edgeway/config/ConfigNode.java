package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A piece of YAML kept unbound until a later stage knows its type (a filter's configuration is
 * bound once the filter factory is known): {@code Binder.bind(configNode, type, errors)}. A record
 * component of this type is passed through by the {@link Binder} as is.
 *
 * @param source the file name
 * @param path the key path of the node, e.g. {@code routes[0].filters[1].cors}
 * @param node the YAML node; a null scalar for {@code - cors:} (binds as all defaults)
 */
public record ConfigNode(String source, String path, Node node) {

  public ConfigNode {
    requireNonNull(source, "source");
    requireNonNull(path, "path");
    requireNonNull(node, "node");
  }

  /** Where the node starts. */
  public ConfigPosition position() {
    return ConfigPosition.of(source, node);
  }

  /** True for an absent-like value: {@code ~}, nothing, or {@code {}}. */
  public boolean isEmpty() {
    return isNull(node) || (node instanceof MappingNode m && m.getValue().isEmpty());
  }

  /** A short one-line rendering of the node for messages: {@code {a: .., b: ..}}. */
  public String describe() {
    return NodeText.describe(node);
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  /** The value of {@code key} in a mapping node, or null when {@code node} is no mapping or lacks the key. */
  static Node child(Node node, String key) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          return tuple.getValueNode();
        }
      }
    }
    return null;
  }
}
