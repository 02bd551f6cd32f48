package io.edgeway.filter;

import static java.util.Objects.requireNonNull;

import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The filter factories this gateway knows, each with its {@link FilterOrigin}: the built-ins
 * discovered with {@link ServiceLoader} from the gateway's own jar, and the factories of the plugin
 * jars (see {@code io.edgeway.plugin.PluginSet}), discovered the same way from each jar's class
 * loader. A factory's name and stage are read once, when it is registered, never again on a request
 * thread.
 */
public final class FilterRegistry {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  /**
   * One registered factory.
   *
   * @param name its filter name (read once from {@link GatewayFilterFactory#name()})
   * @param stage its stage (read once from {@link GatewayFilterFactory#stage()})
   * @param origin where it comes from
   * @param factory the factory
   */
  public record Entry(String name, Stage stage, FilterOrigin origin, GatewayFilterFactory<?> factory) {}

  private final Map<String, Entry> entries;

  private FilterRegistry(Map<String, Entry> entries) {
    this.entries = Collections.unmodifiableMap(entries);
  }

  /**
   * Discovers factories from the given class loaders, in order, all of them {@link
   * FilterOrigin#BUILT_IN} (the gateway's class path; plugin jars go through {@link Builder}).
   *
   * @throws IllegalStateException when two factories claim one name, a name is not kebab-case,
   *     or a provider cannot be instantiated
   */
  public static FilterRegistry discover(List<ClassLoader> loaders) {
    Builder builder = builder();
    for (ClassLoader loader : loaders) {
      builder.addAll(FilterOrigin.BUILT_IN, load(loader, FilterOrigin.BUILT_IN));
    }
    return builder.build();
  }

  /**
   * The factories a class loader registers in {@code META-INF/services}, instantiated.
   *
   * @throws IllegalStateException naming {@code origin} and keeping the cause's message when a
   *     provider cannot be loaded or its constructor throws
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static List<GatewayFilterFactory<?>> load(ClassLoader loader, FilterOrigin origin) {
    return load(loader, origin, type -> true);
  }

  /**
   * As {@link #load(ClassLoader, FilterOrigin)}, keeping only the providers whose class {@code accept}s
   * (decided before any is instantiated, so a rejected provider's code never runs).
   */
  public static List<GatewayFilterFactory<?>> load(
      ClassLoader loader, FilterOrigin origin, Predicate<Class<?>> accept) {
    List<GatewayFilterFactory<?>> found = new ArrayList<>();
    try {
      ServiceLoader<GatewayFilterFactory> services = ServiceLoader.load(GatewayFilterFactory.class, loader);
      for (ServiceLoader.Provider<GatewayFilterFactory> provider : services.stream().toList()) {
        if (accept.test(provider.type())) {
          found.add(provider.get());
        }
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException(origin + ": cannot load its filter factories: " + describe(e)
          + " (expected: public classes with a public no-argument constructor that does not throw)", e);
    }
    return found;
  }

  // ServiceLoader says "Provider X could not be instantiated"; the operator needs the cause too.
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable cause = e.getCause();
    while (cause != null) {
      if (!(cause instanceof java.lang.reflect.InvocationTargetException)) {
        text.append(": ").append(cause);
      }
      cause = cause.getCause();
    }
    return text.toString();
  }

  /** A registry of exactly these factories, all {@link FilterOrigin#BUILT_IN} (tests). */
  public static FilterRegistry of(List<GatewayFilterFactory<?>> factories) {
    return builder().addAll(FilterOrigin.BUILT_IN, factories).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects factories; a name claimed twice fails naming both origins. */
  public static final class Builder {
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Registers {@code factory}, reading its name and stage now.
     *
     * @throws IllegalStateException when the name is not kebab-case or another factory has it
     */
    public Builder add(FilterOrigin origin, GatewayFilterFactory<?> factory) {
      requireNonNull(origin, "origin");
      requireNonNull(factory, "factory");
      String name;
      Stage stage;
      try {
        name = factory.name();
        stage = factory.stage();
      } catch (RuntimeException | LinkageError e) {
        throw new IllegalStateException(origin + ": filter factory " + factory.getClass().getName()
            + " failed to give its name and stage: " + e + " (expected: constant answers)", e);
      }
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalStateException(origin + ": filter factory " + factory.getClass().getName() + ": name: "
            + name + " (expected: kebab-case such as rate-limit)");
      }
      if (stage == null) {
        throw new IllegalStateException(origin + ": filter factory " + factory.getClass().getName()
            + ": stage: null (expected: one of " + java.util.Arrays.toString(Stage.values()) + ")");
      }
      Entry existing = entries.get(name);
      if (existing != null && existing.factory().getClass() != factory.getClass()) {
        throw new IllegalStateException("filter name '" + name + "' is claimed by both " + existing.origin() + " ("
            + existing.factory().getClass().getName() + ") and " + origin + " (" + factory.getClass().getName()
            + ") (expected: one factory per filter name)");
      }
      // The very same class listed twice on one class path is one factory, not a clash.
      entries.putIfAbsent(name, new Entry(name, stage, origin, factory));
      return this;
    }

    public Builder addAll(FilterOrigin origin, List<GatewayFilterFactory<?>> factories) {
      factories.forEach(f -> add(origin, f));
      return this;
    }

    public FilterRegistry build() {
      return new FilterRegistry(new LinkedHashMap<>(entries));
    }
  }

  public Optional<GatewayFilterFactory<?>> find(String name) {
    Entry entry = entries.get(name);
    return entry == null ? Optional.empty() : Optional.of(entry.factory());
  }

  /** The registration of {@code name}: its origin and the stage read at registration. */
  public Optional<Entry> entry(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /** Every registration, in registration order. */
  public List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /** Known filter names, sorted (for "expected one of" messages). */
  public Set<String> names() {
    return new TreeSet<>(entries.keySet());
  }
}
