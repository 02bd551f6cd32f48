package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import io.edgeway.runtime.GatewayModule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * What the loader checks beyond the core sections: the top-level sections modules own, and checks
 * that need knowledge the config package lacks (which filters exist). Both run in the loader's one
 * pass, so every error is reported at once.
 *
 * @param sections module sections in declaration order; one key may be declared twice only with
 *     the same type (the same module seen twice)
 * @param check runs on the whole env-substituted tree
 */
public record ConfigSchema(List<ConfigSection<?>> sections, ConfigCheck check) {

  /** Core sections only, no extra check. */
  public static final ConfigSchema CORE = new ConfigSchema(List.of(), ConfigCheck.NONE);

  public ConfigSchema {
    requireNonNull(check, "check");
    Map<String, ConfigSection<?>> byKey = new LinkedHashMap<>();
    for (ConfigSection<?> section : requireNonNull(sections, "sections")) {
      if (CoreSections.KEYS.contains(section.key())) {
        throw new IllegalStateException("section '" + section.key() + "' is a core section");
      }
      ConfigSection<?> existing = byKey.putIfAbsent(section.key(), section);
      if (existing != null && existing.type() != section.type()) {
        throw new IllegalStateException("section '" + section.key() + "' is claimed by both "
            + existing.type().getName() + " and " + section.type().getName());
      }
    }
    sections = List.copyOf(byKey.values());
  }

  /**
   * The sections of the {@link GatewayModule}s registered in {@code META-INF/services} and visible
   * to {@code loader}, no extra check. This is how the core learns a feature's section: it never
   * names one.
   */
  public static ConfigSchema discover(ClassLoader loader) {
    requireNonNull(loader, "loader");
    List<ConfigSection<?>> sections = new ArrayList<>();
    for (GatewayModule module : ServiceLoader.load(GatewayModule.class, loader)) {
      module.section().ifPresent(sections::add);
    }
    return new ConfigSchema(sections, ConfigCheck.NONE);
  }

  /** The sections of these modules, no extra check. */
  public static ConfigSchema of(List<? extends GatewayModule> modules) {
    List<ConfigSection<?>> sections = new ArrayList<>();
    modules.forEach(m -> m.section().ifPresent(sections::add));
    return new ConfigSchema(sections, ConfigCheck.NONE);
  }

  /** The same sections with {@code another} check run after this schema's. */
  public ConfigSchema withCheck(ConfigCheck another) {
    requireNonNull(another, "another");
    ConfigCheck first = check;
    return new ConfigSchema(sections, (root, errors) -> {
      first.check(root, errors);
      another.check(root, errors);
    });
  }

  /** Every top-level key: core sections first, then module sections. */
  List<String> keys() {
    List<String> keys = new ArrayList<>(CoreSections.KEYS);
    sections.forEach(s -> keys.add(s.key()));
    return keys;
  }

  ConfigSection<?> find(String key) {
    for (ConfigSection<?> section : sections) {
      if (section.key().equals(key)) {
        return section;
      }
    }
    return null;
  }
}
