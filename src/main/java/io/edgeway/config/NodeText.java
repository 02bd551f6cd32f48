package io.edgeway.config;

import java.util.List;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Renders a YAML node as the short "value" part of an error message. */
final class NodeText {

  private static final int MAX_SCALAR = 80;
  private static final int MAX_ITEMS = 3;

  private NodeText() {}

  static String describe(Node node) {
    if (node instanceof ScalarNode scalar) {
      return scalar(scalar);
    }
    StringBuilder out = new StringBuilder();
    if (node instanceof SequenceNode sequence) {
      List<Node> items = sequence.getValue();
      out.append('[');
      for (int i = 0; i < items.size() && i < MAX_ITEMS; i++) {
        out.append(i == 0 ? "" : ", ").append(items.get(i) instanceof ScalarNode s ? scalar(s) : "..");
      }
      return out.append(items.size() > MAX_ITEMS ? ", ...]" : "]").toString();
    }
    if (node instanceof MappingNode mapping) {
      List<NodeTuple> tuples = mapping.getValue();
      out.append('{');
      for (int i = 0; i < tuples.size() && i < MAX_ITEMS; i++) {
        Node key = tuples.get(i).getKeyNode();
        out.append(i == 0 ? "" : ", ").append(key instanceof ScalarNode s ? scalar(s) : "..").append(": ..");
      }
      return out.append(tuples.size() > MAX_ITEMS ? ", ...}" : "}").toString();
    }
    return "?";
  }

  static String scalar(ScalarNode node) {
    if (ConfigNode.isNull(node)) {
      return node.getValue().isEmpty() ? "null" : node.getValue();
    }
    String value = node.getValue();
    if (value.isEmpty()) {
      return "\"\"";
    }
    return value.length() > MAX_SCALAR ? value.substring(0, MAX_SCALAR) + "..." : value;
  }

  /** What a node is, for "expected" messages: a mapping, a list, a value. */
  static String kind(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    return node instanceof SequenceNode ? "a list" : "a value";
  }
}
