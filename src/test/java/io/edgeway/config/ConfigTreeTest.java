package io.edgeway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * What the checked copy keeps of the composed YAML: each node's start, not the parser's marks with
 * the document's text in them; and the composed tree is taken apart while copying, except what an
 * alias can reach again.
 */
class ConfigTreeTest {

  private static final String YAML = """
      server: { port: "${PORT}" }
      routes:
        - id: a
          upstream: &u { targets: [ { url: "http://127.0.0.1:1", weight: 2 } ] }
        - id: b
          upstream: *u
      """;

  private static Node compose(String yaml) {
    LoadSettings settings = LoadSettings.builder().setLabel("t.yaml").setSchema(new CoreSchema()).build();
    return new Compose(settings).composeString(yaml).orElseThrow();
  }

  private static Node check(Node composed) {
    ConfigErrors errors = new ConfigErrors(ConfigLocations.empty("t.yaml"));
    Node copy = ConfigTree.check("t.yaml", composed, new EnvSubstitution(Map.of("PORT", "8080")::get),
        new CoreSchema().getScalarResolver(), errors);
    assertThat(errors.errors()).isEmpty();
    return copy;
  }

  @Test
  void theCopyKeepsWhereEachNodeStartsAndNothingElseOfTheMarks() {
    Node composed = compose(YAML);
    List<String> starts = starts(composed, new ArrayList<>());

    Node copy = check(composed);

    // Walking the composed tree enters the anchored upstream twice, as the copy holds it twice.
    assertThat(starts(copy, new ArrayList<>())).as("line and column of every node").containsExactlyElementsOf(starts);
    forEach(copy, node -> {
      assertThat(node.getStartMark()).hasValueSatisfying(mark -> assertThat(mark.getBuffer()).isEmpty());
      assertThat(node.getEndMark()).isEmpty();
    });
    MappingNode server = (MappingNode) ((MappingNode) copy).getValue().get(0).getValueNode();
    assertThat(((ScalarNode) server.getValue().get(0).getValueNode()).getValue()).isEqualTo("8080");
  }

  @Test
  void theComposedTreeIsTakenApartExceptWhatAnAliasReachesAgain() {
    MappingNode composed = (MappingNode) compose(YAML);
    SequenceNode routes = (SequenceNode) composed.getValue().get(1).getValueNode();
    MappingNode first = (MappingNode) routes.getValue().get(0);
    MappingNode anchored = (MappingNode) first.getValue().get(1).getValueNode();

    Node copy = check(composed);

    assertThat(composed.getValue()).isEmpty();
    assertThat(first.getValue()).isEmpty();
    assertThat(anchored.getValue()).as("the anchored upstream, which route b's alias reads again").hasSize(1);
    SequenceNode copiedRoutes = (SequenceNode) ((MappingNode) copy).getValue().get(1).getValueNode();
    for (Node route : copiedRoutes.getValue()) {
      MappingNode upstream = (MappingNode) ((MappingNode) route).getValue().get(1).getValueNode();
      SequenceNode targets = (SequenceNode) upstream.getValue().get(0).getValueNode();
      assertThat(((MappingNode) targets.getValue().get(0)).getValue()).hasSize(2);
    }
  }

  // "line:column" of every node, keys included, depth first.
  private static List<String> starts(Node node, List<String> out) {
    forEach(node, n -> out.add(n.getStartMark().map(m -> m.getLine() + ":" + m.getColumn()).orElse("-")));
    return out;
  }

  private static void forEach(Node node, java.util.function.Consumer<Node> action) {
    action.accept(node);
    if (node instanceof SequenceNode sequence) {
      sequence.getValue().forEach(item -> forEach(item, action));
    } else if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        forEach(tuple.getKeyNode(), action);
        forEach(tuple.getValueNode(), action);
      }
    }
  }
}
