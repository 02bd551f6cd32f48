package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import io.edgeway.spi.DataSize;
import io.edgeway.spi.Percentage;
import io.edgeway.spi.Required;
import io.edgeway.spi.YamlKey;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Binds YAML to immutable records by reflection, collecting every problem into a
 * {@link ConfigErrors} instead of stopping at the first.
 *
 * <p>Rules:
 * <ul>
 *   <li>A record component {@code maxEntrySize} reads the key {@code max-entry-size} ({@link YamlKey}
 *       names a key that does not follow, such as {@code sample-2xx}); an unknown
 *       key is an error that lists the known keys and suggests the nearest one.
 *   <li>An absent key (or an explicit null such as {@code key:} or {@code key: ~}) binds as
 *       {@code null}, so the compact constructor applies the default. A primitive component or one
 *       marked {@link Required} must be present: {@code missing required key 'url'}; for a primitive
 *       the message adds that the boxed type makes the key optional.
 *   <li>Types: {@code String}, {@code boolean}, {@code int}, {@code long}, {@code double} (and
 *       boxed), {@link Duration} ({@code 250ms 5s 1m 2h 1d}, unit required), {@link DataSize},
 *       {@link Percentage}, enums ({@code round-robin} for {@code ROUND_ROBIN}), nested records,
 *       {@code List<T>} (a single value binds as a one-element list), {@code Map<String, T>}
 *       (insertion order kept), {@link ConfigNode} (passed through unbound).
 *   <li>A type with a public static {@code parse(String)} (like {@link DataSize}) is written as a
 *       scalar only. A record with a public static {@code of(String)} accepts a scalar as a
 *       shorthand and a mapping as usual. A record with a public static {@code of(ConfigNode)} is
 *       built from its raw node (for shapes such as a single-key map).
 *   <li>An {@link IllegalArgumentException} from a compact constructor or factory becomes an error
 *       at the record's position, prefixed with its key path. When the message starts with a
 *       component's key and {@code ": "} ({@code "port: -1 (expected: ...)"}), or a path below it
 *       ({@code "methods[1]: get (expected: ...)"}), the error is placed at that key instead.
 *   <li>Every problem of a record is reported in one run: unknown keys, values of the wrong type,
 *       missing required keys, and the compact constructor's own complaint. The constructor still
 *       runs when keys failed or are missing (they are passed as {@code null}, primitives as zero
 *       or false); what it then says about one of those keys, or a non-validation exception, is a
 *       consequence and is not reported.
 * </ul>
 * Collections in bound values are unmodifiable. Binding runs at load time, never per request.
 */
public final class Binder {

  private static final Object FAILED = new Object();

  private static final ClassValue<RecordModel> MODELS = new ClassValue<>() {
    @Override
    protected RecordModel computeValue(Class<?> type) {
      return RecordModel.of(type);
    }
  };

  private final String source;
  private final ConfigErrors errors;

  private Binder(String source, ConfigErrors errors) {
    this.source = source;
    this.errors = errors;
  }

  /**
   * Binds {@code node} to {@code type}. An empty node ({@code - cors:} or {@code {}}) binds a record
   * as all defaults.
   *
   * @return the bound value, or null when problems were found (they are in {@code errors})
   */
  public static <T> T bind(ConfigNode node, Class<T> type, ConfigErrors errors) {
    requireNonNull(node, "node");
    requireNonNull(type, "type");
    requireNonNull(errors, "errors");
    Binder binder = new Binder(node.source(), errors);
    Object value;
    if (type.isRecord() && ConfigNode.isNull(node.node()) && !errors.isReported(node.node())) {
      value = binder.bindRecord(node.node(), List.of(), MODELS.get(type), node.path());
    } else {
      value = binder.bindValue(node.node(), type, node.path());
    }
    return value == FAILED || value == null ? null : type.cast(value);
  }

  /**
   * Binds a mapping of names to values of {@code valueType} (a section such as
   * {@code jwt-providers: { corp: {...} }}); keys are kept in file order.
   *
   * @return the bound map, or null when problems were found (they are in {@code errors})
   */
  @SuppressWarnings("unchecked")
  public static <V> Map<String, V> bindMap(ConfigNode node, Class<V> valueType, ConfigErrors errors) {
    requireNonNull(node, "node");
    requireNonNull(valueType, "valueType");
    requireNonNull(errors, "errors");
    Binder binder = new Binder(node.source(), errors);
    if (errors.isReported(node.node())) {
      return null;
    }
    if (ConfigNode.isNull(node.node())) {
      return Map.of();
    }
    Object value = binder.bindMapValues(node.node(), valueType, node.path());
    return value == FAILED ? null : (Map<String, V>) value;
  }

  /** The keys of a record type, in component order. */
  static List<String> keysOf(Class<?> recordType) {
    return MODELS.get(recordType).keys;
  }

  private Object bindValue(Node node, Type type, String path) {
    Class<?> raw = rawClass(type);
    if (raw == ConfigNode.class) {
      return new ConfigNode(source, path, node);
    }
    if (errors.isReported(node)) {
      return FAILED;
    }
    if (ConfigNode.isNull(node)) {
      return null;
    }
    if (raw == Object.class) {
      return PlainValues.of(node);
    }
    if (raw == List.class) {
      return bindList(node, typeArgument(type, 0), path);
    }
    if (raw == Map.class) {
      return bindMap(node, type, path);
    }
    if (raw.isRecord()) {
      RecordModel model = MODELS.get(raw);
      if (model.ofNode != null) {
        return invoke(model.ofNode, new ConfigNode(source, path, node), node, path, raw);
      }
      if (node instanceof ScalarNode scalar && (model.parse != null || model.ofString != null)) {
        return invoke(model.parse != null ? model.parse : model.ofString, scalar.getValue(), node, path, raw);
      }
      if (node instanceof MappingNode mapping && model.parse == null) {
        return bindRecord(mapping, mapping.getValue(), model, path);
      }
      return mismatch(node, path, expected(raw));
    }
    Method factory = isBuiltInScalar(raw) ? null : stringFactory(raw);
    if (factory == null && !isBuiltInScalar(raw)) {
      return unsupported(node, path, type);
    }
    if (!(node instanceof ScalarNode scalar)) {
      return mismatch(node, path, expected(raw));
    }
    String text = scalar.getValue();
    if (raw == String.class) {
      return text;
    }
    if (raw == boolean.class || raw == Boolean.class) {
      Boolean value = ScalarParsers.parseBoolean(text);
      return value != null ? value : mismatch(node, path, expected(raw));
    }
    if (raw == int.class || raw == Integer.class) {
      Long value = ScalarParsers.parseLong(text);
      if (value == null) {
        return mismatch(node, path, expected(raw));
      }
      if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
        return mismatch(node, path, "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
      }
      return value.intValue();
    }
    if (raw == long.class || raw == Long.class) {
      Long value = ScalarParsers.parseLong(text);
      return value != null ? value : mismatch(node, path, expected(raw));
    }
    if (raw == double.class || raw == Double.class) {
      Double value = ScalarParsers.parseDouble(text);
      return value != null ? value : mismatch(node, path, expected(raw));
    }
    if (raw == Duration.class) {
      try {
        return ScalarParsers.parseDuration(text);
      } catch (IllegalArgumentException e) {
        errors.add(source, node, path, e.getMessage());
        return FAILED;
      }
    }
    if (raw.isEnum()) {
      for (Object constant : raw.getEnumConstants()) {
        if (ScalarParsers.kebab((Enum<?>) constant).equals(text)) {
          return constant;
        }
      }
      return mismatch(node, path, expected(raw));
    }
    return invoke(factory, text, node, path, raw);
  }

  private static boolean isBuiltInScalar(Class<?> raw) {
    return raw == String.class || raw == boolean.class || raw == Boolean.class || raw == int.class || raw == Integer.class
        || raw == long.class || raw == Long.class || raw == double.class || raw == Double.class || raw == Duration.class
        || raw.isEnum();
  }

  private Object bindList(Node node, Type elementType, String path) {
    if (node instanceof ScalarNode) {
      // A single value where a list is expected: `methods: GET` means `methods: [GET]`.
      Object single = bindValue(node, elementType, path);
      return single == FAILED ? FAILED : List.of(single);
    }
    if (!(node instanceof SequenceNode sequence)) {
      return mismatch(node, path, "a list");
    }
    List<Object> values = new ArrayList<>(sequence.getValue().size());
    boolean failed = false;
    for (int i = 0; i < sequence.getValue().size(); i++) {
      Node item = sequence.getValue().get(i);
      String itemPath = KeyPath.index(path, i);
      Object value = bindValue(item, elementType, itemPath);
      if (value == null) {
        errors.add(source, item, itemPath, NodeText.describe(item) + " (expected: a value)");
        failed = true;
      } else if (value == FAILED) {
        failed = true;
      } else {
        values.add(value);
      }
    }
    return failed ? FAILED : List.copyOf(values);
  }

  private Object bindMap(Node node, Type mapType, String path) {
    if (rawClass(typeArgument(mapType, 0)) != String.class) {
      return unsupported(node, path, mapType);
    }
    return bindMapValues(node, typeArgument(mapType, 1), path);
  }

  private Object bindMapValues(Node node, Type valueType, String path) {
    if (!(node instanceof MappingNode mapping)) {
      return mismatch(node, path, "a mapping");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    boolean failed = false;
    for (NodeTuple tuple : mapping.getValue()) {
      String key = keyOf(tuple, path);
      if (key == null) {
        failed = true;
        continue;
      }
      String valuePath = KeyPath.key(path, key);
      Object value = bindValue(tuple.getValueNode(), valueType, valuePath);
      if (value == null) {
        errors.add(source, tuple.getValueNode(), valuePath, NodeText.describe(tuple.getValueNode()) + " (expected: a value)");
        failed = true;
      } else if (value == FAILED) {
        failed = true;
      } else {
        values.put(key, value);
      }
    }
    return failed ? FAILED : Collections.unmodifiableMap(values);
  }

  private Object bindRecord(Node at, List<NodeTuple> tuples, RecordModel model, String path) {
    Object[] arguments = new Object[model.components.size()];
    boolean[] written = new boolean[arguments.length];
    boolean failed = false;
    boolean unknownKeys = false;
    List<String> failedKeys = new ArrayList<>(0);
    for (NodeTuple tuple : tuples) {
      String key = keyOf(tuple, path);
      if (key == null) {
        failed = true;
        continue;
      }
      String keyPath = KeyPath.key(path, key);
      Integer index = model.index.get(key);
      if (index == null) {
        errors.add(source, tuple.getKeyNode(), keyPath, unknownKey(key, model));
        unknownKeys = true;
        continue;
      }
      Component component = model.components.get(index);
      written[index] = true;
      Node valueNode = tuple.getValueNode();
      Object value = bindValue(valueNode, component.type, keyPath);
      if (value == FAILED) {
        failed = true;
        failedKeys.add(key);
      } else if (value == null && component.required) {
        errors.add(source, valueNode, keyPath, NodeText.describe(valueNode) + " (expected: " + requiredValue(component) + ")");
        failed = true;
        failedKeys.add(key);
      } else {
        arguments[index] = value;
      }
    }
    for (int i = 0; i < arguments.length; i++) {
      Component component = model.components.get(i);
      if (component.required && arguments[i] == null) {
        failed = true;
        if (!written[i]) {
          errors.add(source, at, path, missingKey(component));
          failedKeys.add(component.key);
        }
      }
      // A primitive whose value failed or is missing: reflection cannot pass null for it.
      if (arguments[i] == null && component.type instanceof Class<?> c && c.isPrimitive()) {
        arguments[i] = zero(c);
      }
    }
    // Construct even when a component failed or a required key is missing (passed as null, or zero
    // for a primitive): the constructor's own checks then report the other components' problems in
    // the same run, so the operator sees every error of the entry at once. Only a complete,
    // problem-free record is returned.
    try {
      Object value = model.constructor.newInstance(arguments);
      return failed || unknownKeys ? FAILED : value;
    } catch (InvocationTargetException e) {
      reportConstructorFailure(e.getCause(), at, model, path, failedKeys);
      return FAILED;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + model.type.getName(), e);
    }
  }

  // The loader's tree already rejects non-string keys; a ConfigNode built elsewhere may not have.
  private String keyOf(NodeTuple tuple, String path) {
    Node key = tuple.getKeyNode();
    if (key instanceof ScalarNode scalar && !ConfigNode.isNull(scalar)) {
      return scalar.getValue();
    }
    if (!errors.isReported(key)) {
      errors.add(source, key, path, NodeText.describe(key) + " (expected: a key that is a plain string)");
    }
    return null;
  }

  private void reportConstructorFailure(Throwable cause, Node at, RecordModel model, String path, List<String> failedKeys) {
    String message = cause.getMessage();
    if (!failedKeys.isEmpty()) {
      // Components that failed were passed as null. A problem that names one of them (or that is
      // not a validation message at all) is likely a consequence of that: stay quiet about it.
      if (!(cause instanceof IllegalArgumentException) || message == null) {
        return;
      }
      for (String key : failedKeys) {
        if (message.contains(key)) {
          return;
        }
      }
    }
    if (!(cause instanceof IllegalArgumentException) || message == null || message.isEmpty()) {
      errors.add(source, at, path, NodeText.describe(at) + " (expected: a valid " + model.type.getSimpleName()
          + "; construction failed with " + cause + ")");
      return;
    }
    int separator = message.indexOf(": ");
    if (separator > 0) {
      String relative = message.substring(0, separator);
      List<Object> steps = KeyPath.steps(relative);
      if (steps != null && !steps.isEmpty() && steps.get(0) instanceof String first && model.index.containsKey(first)) {
        Node target = find(at, steps);
        if (target != null && errors.isReported(target)) {
          return;
        }
        errors.add(source, target != null ? target : at, KeyPath.join(path, relative), message.substring(separator + 2));
        return;
      }
    }
    errors.add(source, at, path, message);
  }

  /**
   * Reports {@code message} from code that validated a bound record after binding (a filter factory's
   * {@code create()}): when it reads {@code key: ...} (or {@code key[1]: ...}, {@code key.inner: ...})
   * for a key of {@code recordType}, at that key's position and path, as a constructor's complaint
   * would be; otherwise at the record's own position.
   */
  public static void reportAtKey(ConfigNode record, Class<?> recordType, String message, ConfigErrors errors) {
    int separator = message.indexOf(": ");
    if (separator > 0 && recordType.isRecord()) {
      String relative = message.substring(0, separator);
      List<Object> steps = KeyPath.steps(relative);
      if (steps != null && !steps.isEmpty() && steps.get(0) instanceof String first
          && MODELS.get(recordType).index.containsKey(first)) {
        Node target = find(record.node(), steps);
        ConfigNode at = target == null ? record : new ConfigNode(record.source(), record.path(), target);
        errors.add(at, KeyPath.join(record.path(), relative), message.substring(separator + 2));
        return;
      }
    }
    errors.add(record, record.path(), message);
  }

  private static Node find(Node start, List<Object> steps) {
    Node node = start;
    for (Object step : steps) {
      if (step instanceof String key && node instanceof MappingNode mapping) {
        Node next = null;
        for (NodeTuple tuple : mapping.getValue()) {
          if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
            next = tuple.getValueNode();
            break;
          }
        }
        node = next;
      } else if (step instanceof Integer index && node instanceof SequenceNode sequence) {
        node = index < sequence.getValue().size() ? sequence.getValue().get(index) : null;
      } else if (!(step instanceof Integer index && index == 0)) {
        // Index 0 of a single value written in place of a list is that value; anything else is absent.
        node = null;
      }
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  private Object invoke(Method factory, Object argument, Node node, String path, Class<?> type) {
    try {
      return factory.invoke(null, argument);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException && cause.getMessage() != null && !cause.getMessage().isEmpty()) {
        errors.add(source, node, path, cause.getMessage());
      } else {
        // e.g. ArithmeticException for a size beyond a long: still the operator's value at fault.
        errors.add(source, node, path, NodeText.describe(node) + " (expected: " + expected(type) + ")");
      }
      return FAILED;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call " + factory, e);
    }
  }

  private Object mismatch(Node node, String path, String expected) {
    errors.add(source, node, path, NodeText.describe(node) + " (expected: " + expected + ")");
    return FAILED;
  }

  private Object unsupported(Node node, String path, Type type) {
    // A programming error in a config record, reported like a config error so a plugin with a bad
    // record cannot take the gateway down with a stack trace.
    errors.add(source, node, path, NodeText.describe(node) + " (expected: a config record component type the binder "
        + "supports; " + type.getTypeName() + " is not one)");
    return FAILED;
  }

  private static String missingKey(Component component) {
    String message = "missing required key '" + component.key + "'";
    boolean primitive = component.type instanceof Class<?> c && c.isPrimitive();
    return primitive ? message + " (expected: " + requiredValue(component) + ")" : message;
  }

  private static String requiredValue(Component component) {
    if (component.type instanceof Class<?> c && c.isPrimitive()) {
      // Read by the operator and by the plugin's author: what to write, and how the author makes it optional.
      return expected(c) + "; a primitive " + c.getName() + " is always required: declare it "
          + boxed(c).getSimpleName() + " to make the key optional";
    }
    return "a value";
  }

  private static Class<?> boxed(Class<?> primitive) {
    return java.lang.invoke.MethodType.methodType(primitive).wrap().returnType();
  }

  private static Object zero(Class<?> primitive) {
    return java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(primitive, 1), 0);
  }

  private static String unknownKey(String key, RecordModel model) {
    return unknownKey(key, model.keys);
  }

  /** The message for a key not in {@code keys}, with the nearest one suggested. */
  static String unknownKey(String key, List<String> keys) {
    StringBuilder out = new StringBuilder("unknown key (expected one of: ").append(String.join(", ", keys));
    String suggestion = KeySuggestion.nearest(key, keys);
    if (suggestion != null) {
      out.append("; did you mean '").append(suggestion).append("'?");
    }
    return out.append(')').toString();
  }

  private static String expected(Class<?> raw) {
    if (raw == String.class) {
      return "a string";
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return "true or false";
    }
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
      return "an integer";
    }
    if (raw == double.class || raw == Double.class) {
      return "a number";
    }
    if (raw == Duration.class) {
      return ScalarParsers.DURATION_EXPECTED;
    }
    if (raw == DataSize.class) {
      return "a size such as 512B, 64KiB, 10MiB, 1GiB";
    }
    if (raw == Percentage.class) {
      return "a percentage such as 50%";
    }
    if (raw.isEnum()) {
      StringBuilder out = new StringBuilder("one of ");
      Object[] constants = raw.getEnumConstants();
      for (int i = 0; i < constants.length; i++) {
        out.append(i == 0 ? "" : ", ").append(ScalarParsers.kebab((Enum<?>) constants[i]));
      }
      return out.toString();
    }
    if (raw == List.class) {
      return "a list";
    }
    if (raw.isRecord()) {
      RecordModel model = MODELS.get(raw);
      if (model.parse != null) {
        return "a value for " + raw.getSimpleName();
      }
      return model.ofString != null ? "a mapping or a string" : "a mapping";
    }
    return "a value";
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (type instanceof WildcardType w && w.getUpperBounds().length == 1) {
      return rawClass(w.getUpperBounds()[0]);
    }
    return Object.class;
  }

  private static Type typeArgument(Type type, int index) {
    if (type instanceof ParameterizedType p && index < p.getActualTypeArguments().length) {
      return p.getActualTypeArguments()[index];
    }
    return Object.class;
  }

  private static Method stringFactory(Class<?> type) {
    Method parse = staticFactory(type, "parse", String.class);
    return parse != null ? parse : staticFactory(type, "of", String.class);
  }

  private static Method staticFactory(Class<?> type, String name, Class<?> parameter) {
    try {
      Method method = type.getMethod(name, parameter);
      return Modifier.isStatic(method.getModifiers()) && type.isAssignableFrom(method.getReturnType()) ? method : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private record Component(String key, Type type, boolean required) {}

  /** What the binder needs to know about a record type, computed once per type. */
  private static final class RecordModel {
    final Class<?> type;
    final List<Component> components;
    final Map<String, Integer> index;
    final List<String> keys;
    final Constructor<?> constructor;
    final Method parse;
    final Method ofString;
    final Method ofNode;

    private RecordModel(Class<?> type) {
      this.type = type;
      RecordComponent[] recordComponents = type.getRecordComponents();
      List<Component> list = new ArrayList<>(recordComponents.length);
      Map<String, Integer> byKey = new LinkedHashMap<>();
      Class<?>[] parameterTypes = new Class<?>[recordComponents.length];
      for (int i = 0; i < recordComponents.length; i++) {
        RecordComponent rc = recordComponents[i];
        YamlKey explicit = rc.getAnnotation(YamlKey.class);
        String key = explicit != null ? explicit.value() : ScalarParsers.kebab(rc.getName());
        boolean required = rc.getType().isPrimitive() || rc.isAnnotationPresent(Required.class);
        list.add(new Component(key, rc.getGenericType(), required));
        byKey.put(key, i);
        parameterTypes[i] = rc.getType();
      }
      this.components = List.copyOf(list);
      this.index = Collections.unmodifiableMap(byKey);
      this.keys = List.copyOf(byKey.keySet());
      try {
        this.constructor = type.getDeclaredConstructor(parameterTypes);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("record without a canonical constructor: " + type.getName(), e);
      }
      try {
        constructor.setAccessible(true);
      } catch (RuntimeException e) {
        // A public record in an exported package needs no access override.
      }
      this.parse = staticFactory(type, "parse", String.class);
      this.ofString = staticFactory(type, "of", String.class);
      this.ofNode = staticFactory(type, "of", ConfigNode.class);
    }

    static RecordModel of(Class<?> type) {
      return new RecordModel(type);
    }

    @Override
    public String toString() {
      return type.getName() + components.stream().map(Component::key).collect(Collectors.joining(", ", "(", ")"));
    }
  }
}
