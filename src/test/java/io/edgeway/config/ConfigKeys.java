package io.edgeway.config;

import io.edgeway.filter.FilterRegistry;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.spi.DataSize;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Percentage;
import io.edgeway.spi.Required;
import io.edgeway.spi.YamlKey;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every configuration key the gateway accepts, derived the way the {@link Binder} reads them: the
 * core sections' records ({@link CoreSections}), each module's {@code section()} and each filter
 * factory's {@code configType()}, walked recursively with kebab-case names. A key path is written
 * {@code server.limits.max-body-size}, {@code routes[].upstream.targets[].url},
 * {@code jwt-providers.*.issuer}, {@code routes[].filters[].rate-limit.limits[].capacity}.
 *
 * <p>Only leaves are listed: a nested record contributes its keys, not itself. A list of records
 * walks its element ({@code []}), a map of records its values ({@code .*}); a list or map of
 * scalars, and any type the Binder reads from a scalar ({@code parse}), is a leaf.
 */
final class ConfigKeys {
  /** One key: its path, and its default when the owning record has one (all-absent construction). */
  record Key(String path, Optional<String> defaultValue) {}

  private final Map<String, Key> keys = new LinkedHashMap<>();

  private ConfigKeys() {}

  static Map<String, Key> of(List<GatewayModule> modules, FilterRegistry filters) {
    ConfigKeys out = new ConfigKeys();
    out.walkRecord("", CoreSections.class, 0);
    for (GatewayModule module : modules) {
      module.section().ifPresent(section -> out.walkSection(section));
    }
    for (String name : filters.names()) {
      GatewayFilterFactory<?> factory = filters.find(name).orElseThrow();
      if (isTestClass(factory.getClass())) {
        continue; // a filter only the tests register (test-replace-body) is no user's key
      }
      out.walkRecord("routes[].filters[]." + name, factory.configType(), 0);
    }
    return out.keys;
  }

  private static boolean isTestClass(Class<?> type) {
    var source = type.getProtectionDomain().getCodeSource();
    return source != null && source.getLocation().toString().contains("test-classes");
  }

  private void walkSection(ConfigSection<?> section) {
    Class<?> type = section.type();
    RecordComponent[] components = type.isRecord() ? type.getRecordComponents() : new RecordComponent[0];
    // A section bound as a map of named entries (jwt-providers: { corp: {...} }) is a record with
    // one Map component and its own binding: document the entries, not the wrapper's component.
    if (components.length == 1 && components[0].getType() == Map.class) {
      walkValue(section.key() + ".*", typeArgument(components[0].getGenericType(), 1), null, 0);
      return;
    }
    walkRecord(section.key(), type, 0);
  }

  private void walkRecord(String path, Class<?> type, int depth) {
    if (depth > 12) {
      throw new IllegalStateException("config records nest deeper than 12 at " + path);
    }
    Object defaults = defaults(type);
    for (RecordComponent component : type.getRecordComponents()) {
      YamlKey explicit = component.getAnnotation(YamlKey.class);
      String key = join(path, explicit != null ? explicit.value() : ScalarParsers.kebab(component.getName()));
      Object value = null;
      if (defaults != null) {
        try {
          value = component.getAccessor().invoke(defaults);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      walkValue(key, component.getGenericType(), defaults == null ? null : Optional.ofNullable(value), depth + 1);
    }
  }

  /** {@code defaultValue}: null when the owner has no all-default form, empty when the default is "none". */
  private void walkValue(String path, Type type, Optional<Object> defaultValue, int depth) {
    Class<?> raw = raw(type);
    if (path.equals("routes[].filters")) {
      return; // FilterSpec: each filter's keys are listed under routes[].filters[].NAME
    }
    if (raw == List.class && isWalkable(raw(typeArgument(type, 0)))) {
      walkValue(path + "[]", typeArgument(type, 0), null, depth);
      return;
    }
    if (raw == Map.class && isWalkable(raw(typeArgument(type, 1)))) {
      walkValue(path + ".*", typeArgument(type, 1), null, depth);
      return;
    }
    if (isWalkable(raw)) {
      walkRecord(path, raw, depth);
      return;
    }
    keys.put(path, new Key(path, defaultValue == null ? Optional.empty()
        : Optional.of(defaultValue.map(ConfigKeys::format).orElse("none"))));
  }

  /** A record the Binder reads as a mapping (not one it reads from a scalar only, nor a raw node). */
  private static boolean isWalkable(Class<?> type) {
    return type.isRecord() && staticMethod(type, "parse", String.class) == null
        && staticMethod(type, "of", ConfigNode.class) == null;
  }

  /** The record built with every component absent, as an empty mapping binds it; null when that is invalid. */
  private static Object defaults(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      if (types[i].isPrimitive() || components[i].isAnnotationPresent(Required.class)) {
        return null;
      }
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return constructor.newInstance(new Object[components.length]);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** A value as the YAML would write it. */
  static String format(Object value) {
    if (value instanceof Duration d) {
      long millis = d.toMillis();
      if (millis != 0 && millis % 86_400_000 == 0) {
        return millis / 86_400_000 + "d";
      }
      if (millis != 0 && millis % 3_600_000 == 0) {
        return millis / 3_600_000 + "h";
      }
      if (millis != 0 && millis % 60_000 == 0) {
        return millis / 60_000 + "m";
      }
      return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
    if (value instanceof Enum<?> e) {
      return ScalarParsers.kebab(e);
    }
    if (value instanceof DataSize || value instanceof Percentage) {
      return value.toString();
    }
    if (value instanceof Collection<?> c) {
      return c.stream().map(ConfigKeys::format).collect(Collectors.joining(", ", "[", "]"));
    }
    if (value instanceof Map<?, ?> m) {
      return m.isEmpty() ? "{}" : m.toString();
    }
    return String.valueOf(value);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }

  private static Type typeArgument(Type type, int index) {
    return type instanceof ParameterizedType p && index < p.getActualTypeArguments().length
        ? p.getActualTypeArguments()[index] : Object.class;
  }

  private static Method staticMethod(Class<?> type, String name, Class<?> parameter) {
    try {
      Method method = type.getMethod(name, parameter);
      return Modifier.isStatic(method.getModifiers()) ? method : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /** For writing the reference: every key with its derived default, one per line. */
  static List<String> describe(Map<String, Key> keys) {
    List<String> out = new ArrayList<>();
    keys.values().forEach(k -> out.add(k.path() + "\t" + k.defaultValue().orElse("?")));
    return out;
  }
}
