package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.ConfigException;
import io.edgeway.config.ConfigLoader;
import io.edgeway.config.ConfigSchema;
import io.edgeway.config.LoadedConfig;
import io.edgeway.filter.FilterConfigCheck;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.spi.StateEventPublisher;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The one validation a configuration goes through, for {@code --check} and at start-up alike:
 * <ol>
 *   <li>{@link #load}: YAML, core sections, every module's section, filter names and filter
 *       configurations, in one pass (every error at once);
 *   <li>{@link #validateRoutes}: every filter created against the modules' validation views (built
 *       from the bound sections, never from started modules) and closed again, and the route table
 *       built (conflicts).
 * </ol>
 * Nothing here connects, fetches, or starts a module. Blocking (reads the file): call at start-up
 * or on a worker thread.
 */
public final class ConfigValidator {
  private final FilterRegistry registry;
  private final List<GatewayModule> modules;

  public ConfigValidator(FilterRegistry registry, List<GatewayModule> modules) {
    this.registry = requireNonNull(registry, "registry");
    this.modules = List.copyOf(requireNonNull(modules, "modules"));
  }

  /** The modules' sections and the filter check. */
  public ConfigSchema schema() {
    return ConfigSchema.of(modules).withCheck(new FilterConfigCheck(registry));
  }

  /** Loads and binds a file (step 1). */
  public LoadedConfig load(Path file, Function<String, String> environment) throws ConfigException {
    return ConfigLoader.load(file, environment, schema());
  }

  /** Loads and binds YAML text reported under {@code source} (step 1). */
  public LoadedConfig load(String source, String yamlText, Function<String, String> environment)
      throws ConfigException {
    return ConfigLoader.load(source, yamlText, environment, schema());
  }

  /**
   * Creates every route's filters against the modules' validation views, builds the route table,
   * and discards both (step 2).
   *
   * @param vertx what filter factories see as {@code FilterContext.vertx()}; nothing is deployed on it
   */
  public void validateRoutes(Vertx vertx, LoadedConfig loaded) throws ConfigException {
    requireNonNull(vertx, "vertx");
    requireNonNull(loaded, "loaded");
    GatewayServices views = new GatewayServices();
    views.registerPerFilter(StateEventPublisher.class, PluginStateEvents.validationView());
    modules.forEach(module -> module.registerValidationViews(loaded.config(), views));
    new RouteCompiler(vertx, registry, views, 1).validate(loaded);
  }
}
