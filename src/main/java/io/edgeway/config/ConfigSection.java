package io.edgeway.config;

import static java.util.Objects.requireNonNull;

/**
 * A top-level section of the configuration that a module owns, such as {@code jwt-providers} or
 * {@code events}: its key, the type it binds to, and what an absent section means. The loader
 * binds every declared section in the same pass as the core sections (server, admin,
 * demo-upstream, access-log, plugins, routes), so its errors are reported with theirs; {@link GatewayConfig#section}
 * hands the bound value to the module and to validation.
 *
 * @param key the top-level YAML key, kebab-case
 * @param type the bound type (usually a record validating itself in its compact constructor)
 * @param absent the value of a section that is not written (or written as null)
 * @param binding binds the section's node; {@link #of(String, Class, Object)} uses the {@link Binder}
 */
public record ConfigSection<C>(String key, Class<C> type, C absent, Binding<C> binding) {

  /** Binds a section's node, reporting problems into {@code errors}; returns null when it found any. */
  @FunctionalInterface
  public interface Binding<C> {
    C bind(ConfigNode node, ConfigErrors errors);
  }

  public ConfigSection {
    requireNonNull(key, "key");
    requireNonNull(type, "type");
    requireNonNull(absent, "absent");
    requireNonNull(binding, "binding");
    if (!type.isInstance(absent)) {
      throw new IllegalArgumentException("absent: " + absent + " (expected: an instance of " + type.getName() + ")");
    }
  }

  /** A section bound by the {@link Binder} to {@code type}. */
  public static <C> ConfigSection<C> of(String key, Class<C> type, C absent) {
    return new ConfigSection<>(key, type, absent, (node, errors) -> Binder.bind(node, type, errors));
  }

  C bind(ConfigNode node, ConfigErrors errors) {
    return binding.bind(node, errors);
  }
}
