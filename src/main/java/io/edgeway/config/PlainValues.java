package io.edgeway.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML value as plain Java, for a config record component of type {@code Object} (a free-form
 * document such as a JSON Schema written inline): mappings become unmodifiable ordered
 * {@code Map<String, Object>}, sequences {@code List<Object>}, and scalars what their resolved tag
 * says: {@code Long} (or {@code BigInteger} past its range), {@code Double}, {@code Boolean},
 * {@code null}, else {@code String} (a quoted {@code "5"} stays text). The loader already bounds
 * the document's size, depth and aliases.
 */
final class PlainValues {
  private PlainValues() {}

  /** The value of a node of the loaded document (whose parser already refused non-scalar keys). */
  static Object of(Node node) {
    if (node instanceof MappingNode mapping) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        map.put(((ScalarNode) tuple.getKeyNode()).getValue(), of(tuple.getValueNode()));
      }
      return Collections.unmodifiableMap(map);
    }
    if (node instanceof SequenceNode sequence) {
      List<Object> list = new ArrayList<>(sequence.getValue().size());
      for (Node item : sequence.getValue()) {
        list.add(of(item));
      }
      return Collections.unmodifiableList(list);
    }
    ScalarNode scalar = (ScalarNode) node;
    String text = scalar.getValue();
    Tag tag = scalar.getTag();
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    if (Tag.BOOL.equals(tag)) {
      Boolean value = ScalarParsers.parseBoolean(text.toLowerCase(Locale.ROOT));
      return value != null ? value : text;
    }
    if (Tag.INT.equals(tag)) {
      try {
        BigInteger value = new BigInteger(text.replace("_", "").replaceFirst("^\\+", ""));
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
      } catch (NumberFormatException e) {
        return text; // hex/octal forms: kept as written
      }
    }
    if (Tag.FLOAT.equals(tag)) {
      Double value = ScalarParsers.parseDouble(text);
      return value != null ? value : text;
    }
    return text;
  }
}
