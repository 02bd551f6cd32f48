package io.edgeway.filter;

import io.edgeway.spi.GatewayFilterFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The filter factories this gateway knows, discovered with {@link ServiceLoader} from the
 * gateway's own jar (built-ins) and from plugin class loaders, the same way for both.
 */
public final class FilterRegistry {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  private final Map<String, GatewayFilterFactory<?>> factories;

  private FilterRegistry(Map<String, GatewayFilterFactory<?>> factories) {
    this.factories = Collections.unmodifiableMap(factories);
  }

  /**
   * Discovers factories from the given class loaders, in order.
   *
   * @throws IllegalStateException when two factories claim one name, a name is not kebab-case,
   *     or a provider cannot be instantiated
   */
  public static FilterRegistry discover(List<ClassLoader> loaders) {
    Map<String, GatewayFilterFactory<?>> found = new LinkedHashMap<>();
    for (ClassLoader loader : loaders) {
      try {
        @SuppressWarnings("rawtypes")
        ServiceLoader<GatewayFilterFactory> services = ServiceLoader.load(GatewayFilterFactory.class, loader);
        for (GatewayFilterFactory<?> factory : services) {
          register(found, factory);
        }
      } catch (ServiceConfigurationError e) {
        throw new IllegalStateException("cannot load filter factories: " + e.getMessage(), e);
      }
    }
    return new FilterRegistry(found);
  }

  /** A registry of exactly these factories (tests). */
  public static FilterRegistry of(List<GatewayFilterFactory<?>> factories) {
    Map<String, GatewayFilterFactory<?>> found = new LinkedHashMap<>();
    factories.forEach(f -> register(found, f));
    return new FilterRegistry(found);
  }

  private static void register(Map<String, GatewayFilterFactory<?>> found, GatewayFilterFactory<?> factory) {
    String name = factory.name();
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalStateException("filter factory " + factory.getClass().getName() + ": name: " + name
          + " (expected: kebab-case such as rate-limit)");
    }
    GatewayFilterFactory<?> existing = found.get(name);
    // The same class seen through two loaders (parent delegation) is one factory, not a clash.
    if (existing != null && existing.getClass() != factory.getClass()) {
      throw new IllegalStateException("filter name '" + name + "' is claimed by both "
          + existing.getClass().getName() + " and " + factory.getClass().getName());
    }
    found.putIfAbsent(name, factory);
  }

  public Optional<GatewayFilterFactory<?>> find(String name) {
    return Optional.ofNullable(factories.get(name));
  }

  /** Known filter names, sorted (for "expected one of" messages). */
  public Set<String> names() {
    return new TreeSet<>(factories.keySet());
  }
}
