package io.edgeway.runtime;

import io.edgeway.config.FilterSpec;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.plugin.PluginDescriptor;
import io.edgeway.plugin.PluginJar;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.SpiVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /plugins} on the admin API: the SPI version this gateway provides, and the plugin jars
 * of the running snapshot, each with its filters, their stage and the routes using them.
 *
 * <p>Runs on the admin event loop, so it calls no plugin code: names and stages are the ones the
 * {@link FilterRegistry} read when the jar was loaded.
 */
final class PluginEndpoint {
  private PluginEndpoint() {}

  static JsonObject describe(RouteSnapshot snapshot) {
    FilterRegistry registry = snapshot.plugins().registry();
    JsonArray plugins = new JsonArray();
    for (PluginJar jar : snapshot.plugins().jars()) {
      PluginDescriptor d = jar.descriptor();
      JsonArray filters = new JsonArray();
      for (FilterRegistry.Entry entry : registry.entries()) {
        if (!owns(jar, entry.factory())) {
          continue;
        }
        JsonArray routes = new JsonArray();
        for (CompiledRoute route : snapshot.routes()) {
          if (route.config().filters().stream().map(FilterSpec::name).anyMatch(entry.name()::equals)) {
            routes.add(route.id());
          }
        }
        filters.add(new JsonObject()
            .put("name", entry.name())
            .put("stage", entry.stage().name())
            .put("routes", routes));
      }
      plugins.add(new JsonObject()
          .put("name", d.name())
          .put("jar", d.jar().toString())
          .put("version", d.version())
          .put("spiVersion", d.spiVersion())
          .put("sha256", d.sha256())
          .put("filters", filters));
    }
    return new JsonObject().put("spiVersion", SpiVersion.CURRENT).put("plugins", plugins);
  }

  private static boolean owns(PluginJar jar, GatewayFilterFactory<?> factory) {
    for (GatewayFilterFactory<?> own : jar.factories()) {
      if (own == factory) {
        return true;
      }
    }
    return false;
  }
}
