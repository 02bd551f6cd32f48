package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Where each key path of a loaded configuration was written, so that later stages (routing,
 * filter factories) can report a problem at the right line: {@code routes[2].match.path} to
 * {@code edgeway.yaml:31:13}. A position is read from the checked YAML tree when a problem asks
 * for it, not indexed up front: a file of 10,000 routes has some 150,000 key paths, and most loads
 * report none.
 */
public final class ConfigLocations {

  private final ConfigNode tree;

  /**
   * @param tree the checked document (each node carries where it starts); {@code tree.source()} is
   *     the file name the paths belong to
   */
  public ConfigLocations(ConfigNode tree) {
    this.tree = requireNonNull(tree, "tree");
  }

  /** Locations of a document with no keys (nothing to point at but the file). */
  public static ConfigLocations empty(String source) {
    return new ConfigLocations(new ConfigNode(source, "", new MappingNode(Tag.MAP, List.of(), FlowStyle.BLOCK)));
  }

  /** The file name. */
  public String source() {
    return tree.source();
  }

  /** The position of the value at exactly {@code path}, if the file has that key. */
  public Optional<ConfigPosition> find(String path) {
    Node node = nodeAt(requireNonNull(path, "path"));
    return node == null || node.getStartMark().isEmpty() ? Optional.empty()
        : Optional.of(ConfigPosition.of(tree.source(), node));
  }

  /**
   * The position of {@code path}, or of its closest ancestor that the file has (a key that was
   * left out to take its default is reported where its parent is), or the file without a line.
   */
  public ConfigPosition nearest(String path) {
    for (String p = requireNonNull(path, "path"); p != null; p = KeyPath.parent(p)) {
      Optional<ConfigPosition> position = find(p);
      if (position.isPresent()) {
        return position.get();
      }
    }
    return new ConfigPosition(tree.source(), 0, 0);
  }

  // The node at a key path (keys through mappings, indices through sequences), or null.
  private Node nodeAt(String path) {
    List<Object> steps = KeyPath.steps(path);
    if (steps == null) {
      return null;
    }
    Node node = tree.node();
    for (Object step : steps) {
      if (step instanceof String key) {
        node = ConfigNode.child(node, key);
      } else {
        int index = (Integer) step;
        node = node instanceof SequenceNode sequence && index < sequence.getValue().size()
            ? sequence.getValue().get(index) : null;
      }
      if (node == null) {
        return null;
      }
    }
    return node;
  }
}
