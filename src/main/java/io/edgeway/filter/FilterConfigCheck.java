package io.edgeway.filter;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.Binder;
import io.edgeway.config.ConfigCheck;
import io.edgeway.config.ConfigErrors;
import io.edgeway.config.ConfigNode;
import io.edgeway.config.FilterSpec;
import io.edgeway.config.KeyPath;
import io.edgeway.config.KeySuggestion;
import io.edgeway.spi.GatewayFilterFactory;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Checks every route's filter entries while the configuration loads: the filter name must be
 * known and its configuration must bind to the factory's record. Running in the loader's pass
 * means these errors are reported together with all others.
 */
public final class FilterConfigCheck implements ConfigCheck {
  private final FilterRegistry registry;

  public FilterConfigCheck(FilterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
  }

  @Override
  public void check(ConfigNode root, ConfigErrors errors) {
    Node routes = child(root.node(), "routes");
    if (!(routes instanceof SequenceNode routeList)) {
      return;
    }
    List<Node> items = routeList.getValue();
    for (int i = 0; i < items.size(); i++) {
      Node filters = child(items.get(i), "filters");
      if (!(filters instanceof SequenceNode filterList)) {
        continue;
      }
      String routePath = KeyPath.key(KeyPath.index("routes", i), "filters");
      for (int j = 0; j < filterList.getValue().size(); j++) {
        ConfigNode entry = new ConfigNode(root.source(), KeyPath.index(routePath, j), filterList.getValue().get(j));
        checkEntry(entry, errors);
      }
    }
  }

  private void checkEntry(ConfigNode entry, ConfigErrors errors) {
    FilterSpec spec;
    ConfigNode config;
    try {
      spec = FilterSpec.of(entry);
      config = FilterSpec.configOf(entry);
    } catch (IllegalArgumentException e) {
      return; // the binder reports a malformed entry
    }
    Optional<GatewayFilterFactory<?>> factory = registry.find(spec.name());
    if (factory.isEmpty()) {
      String nearest = KeySuggestion.nearest(spec.name(), registry.names());
      errors.add(entry, entry.path(), "unknown filter '" + spec.name() + "' (expected one of: "
          + String.join(", ", registry.names()) + (nearest == null ? "" : "; did you mean '" + nearest + "'?") + ")");
      return;
    }
    Binder.bind(config, factory.get().configType(), errors);
  }

  private static Node child(Node node, String key) {
    if (!(node instanceof MappingNode mapping)) {
      return null;
    }
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return tuple.getValueNode();
      }
    }
    return null;
  }
}
