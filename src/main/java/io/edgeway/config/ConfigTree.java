package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * The checked copy of a composed YAML tree that binding works on: environment references
 * substituted, duplicate and non-string keys reported and dropped, aliases expanded into copies
 * (bounded, so an alias bomb is an error instead of an out-of-memory). Each copied node keeps
 * where it starts ({@link ConfigLocations} reads a key path's position from it) and nothing else
 * of the parser's marks.
 *
 * <p>It takes the composed tree apart as it goes: a mapping or list that no alias can reach again
 * is emptied once copied, so the two trees are never whole at the same time (10,000 routes are
 * some 250,000 nodes).
 */
final class ConfigTree {

  /** How many nodes aliases may add by expansion; a real config needs a few hundred at most. */
  static final int MAX_ALIAS_EXPANSION = 10_000;

  private static final int[] NO_TEXT = new int[0];

  private final String source;
  private final EnvSubstitution substitution;
  private final ScalarResolver resolver;
  private final ConfigErrors errors;
  private final Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Node> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<Node, ScalarNode> scalarCopies = new IdentityHashMap<>();
  /** Anchored nodes on the current path: what is below one may be copied again through an alias. */
  private int anchoredDepth;
  private int expanded;
  private boolean expansionReported;

  private ConfigTree(String source, EnvSubstitution substitution, ScalarResolver resolver, ConfigErrors errors) {
    this.source = source;
    this.substitution = substitution;
    this.resolver = resolver;
    this.errors = errors;
  }

  /**
   * @param root the composed document (the composer's mutable lists); its mappings and lists are
   *     emptied, so this is the caller's last use of it
   * @param errors receives the problems; nodes whose value could not be substituted are marked as
   *     reported so the binder does not add a second error for them
   */
  static Node check(String source, Node root, EnvSubstitution substitution, ScalarResolver resolver, ConfigErrors errors) {
    requireNonNull(root, "root");
    return new ConfigTree(source, substitution, resolver, errors).copy(root, "");
  }

  private Node copy(Node node, String path) {
    if (onPath.contains(node)) {
      errors.add(source, node, path, "recursive alias (expected: an alias to a node defined before it, outside itself)");
      return nullScalar(node);
    }
    // Only an anchored node and what is below it can be reached again (through an alias), so only
    // those are remembered: the composed tree is not kept whole by these sets.
    boolean anchored = node.getAnchor().isPresent();
    boolean repeatable = anchored || anchoredDepth > 0;
    if (repeatable && !visited.add(node) && ++expanded > MAX_ALIAS_EXPANSION) {
      if (!expansionReported) {
        expansionReported = true;
        errors.add(source, node, path, "aliases expand to more than " + MAX_ALIAS_EXPANSION
            + " nodes (expected: a config without an alias bomb)");
      }
      return nullScalar(node);
    }
    if (node instanceof ScalarNode scalar) {
      return copyScalar(scalar, path, repeatable);
    }
    onPath.add(node);
    if (anchored) {
      anchoredDepth++;
    }
    try {
      if (node instanceof SequenceNode sequence) {
        List<Node> items = sequence.getValue();
        List<Node> copies = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
          copies.add(copy(items.get(i), KeyPath.index(path, i)));
        }
        release(items);
        return new SequenceNode(sequence.getTag(), true, copies, sequence.getFlowStyle(), startOf(sequence),
            Optional.empty());
      }
      MappingNode mapping = (MappingNode) node;
      List<NodeTuple> tuples = new ArrayList<>(mapping.getValue().size());
      Map<String, Node> keys = new HashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        Node keyNode = tuple.getKeyNode();
        if (!(keyNode instanceof ScalarNode keyScalar) || ConfigNode.isNull(keyNode)) {
          errors.add(source, keyNode, path, NodeText.describe(keyNode) + " (expected: a key that is a plain string)");
          continue;
        }
        String key = keyScalar.getValue();
        String keyPath = KeyPath.key(path, key);
        Node first = keys.putIfAbsent(key, keyNode);
        if (first != null) {
          ConfigPosition at = ConfigPosition.of(source, first);
          errors.add(source, keyNode, keyPath, "duplicate key (expected: each key once in a mapping; first at line "
              + at.line() + ")");
          continue;
        }
        tuples.add(new NodeTuple(compact(keyScalar), copy(tuple.getValueNode(), keyPath)));
      }
      release(mapping.getValue());
      return new MappingNode(mapping.getTag(), true, tuples, mapping.getFlowStyle(), startOf(mapping),
          Optional.empty());
    } finally {
      onPath.remove(node);
      if (anchored) {
        anchoredDepth--;
      }
    }
  }

  // Outside every anchored node nothing can be visited twice: the composed children are garbage
  // from here on.
  private void release(List<?> children) {
    if (anchoredDepth == 0 && !children.isEmpty()) {
      children.clear();
    }
  }

  private ScalarNode copyScalar(ScalarNode scalar, String path, boolean repeatable) {
    ScalarNode done = repeatable ? scalarCopies.get(scalar) : null;
    if (done != null) {
      return done;
    }
    String value = scalar.getValue();
    ScalarNode copy;
    try {
      String substituted = substitution.apply(value);
      if (substituted.equals(value)) {
        copy = compact(scalar);
      } else {
        // A plain ${PORT:-} that ends up empty means "absent", as if the value had been written.
        Tag tag = scalar.getScalarStyle() == ScalarStyle.PLAIN ? resolver.resolve(substituted, true) : scalar.getTag();
        copy = new ScalarNode(tag, true, substituted, scalar.getScalarStyle(), startOf(scalar), Optional.empty());
      }
    } catch (IllegalArgumentException e) {
      errors.add(source, scalar, path, e.getMessage());
      copy = scalar;
    }
    if (repeatable) {
      scalarCopies.put(scalar, copy);
    }
    return copy;
  }

  // Stands in for a node that was already reported, so binding neither fails on it again nor
  // treats it as an absent key.
  private ScalarNode nullScalar(Node at) {
    ScalarNode stand = new ScalarNode(Tag.NULL, true, "", ScalarStyle.PLAIN, startOf(at), Optional.empty());
    errors.markReported(stand);
    return stand;
  }

  private static ScalarNode compact(ScalarNode scalar) {
    // "resolved" (the tag was implicit) matters only to snakeyaml's emitter, which the gateway never
    // uses; ScalarNode.isResolved() is also missing from snakeyaml-engine before 3.1, which a
    // plugin's tests may put on the class path the test kit shares with the gateway.
    return new ScalarNode(scalar.getTag(), true, scalar.getValue(), scalar.getScalarStyle(),
        startOf(scalar), Optional.empty());
  }

  // Line and column only: a parser's mark also holds the code points of the text around it, and
  // so keeps the document alive as long as any node does.
  private static Optional<Mark> startOf(Node node) {
    return node.getStartMark().map(m -> new Mark(m.getName(), m.getIndex(), m.getLine(), m.getColumn(), NO_TEXT, 0));
  }
}
