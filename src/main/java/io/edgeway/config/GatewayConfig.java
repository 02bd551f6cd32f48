package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * The whole gateway configuration: the core sections as components, and the sections modules own
 * (such as {@code jwt-providers}, {@code cache}, {@code events}) by key. The core knows no
 * module's section by name: a module declares a {@link ConfigSection}, the loader binds it, and
 * the module reads it back with {@link #section(ConfigSection)}.
 *
 * @param server the client-facing listener
 * @param admin the admin API listener
 * @param demoUpstream the embedded echo service
 * @param accessLog the JSON access log: on or off, where it goes, which fields, 2xx sampling
 * @param plugins what the gateway offers plugins process-wide (the blocking pool)
 * @param routes the routes in file order; default none
 * @param sections the module sections written in the file, bound, by key; an absent one is not
 *     here ({@link #section} answers its {@link ConfigSection#absent()} value)
 */
public record GatewayConfig(ServerConfig server, AdminConfig admin, DemoUpstreamConfig demoUpstream, AccessLogConfig accessLog,
    PluginsConfig plugins, List<RouteConfig> routes, Map<String, Object> sections) {

  public GatewayConfig {
    server = server == null ? ServerConfig.defaults() : server;
    admin = admin == null ? AdminConfig.defaults() : admin;
    demoUpstream = demoUpstream == null ? DemoUpstreamConfig.defaults() : demoUpstream;
    accessLog = accessLog == null ? AccessLogConfig.defaults() : accessLog;
    plugins = plugins == null ? PluginsConfig.defaults() : plugins;
    routes = routes == null ? List.of() : List.copyOf(routes);
    sections = sections == null ? Map.of() : Map.copyOf(sections);
  }

  /** A gateway with every default and no routes (what an empty file means). */
  public static GatewayConfig defaults() {
    return new GatewayConfig(null, null, null, null, null, null, null);
  }

  /**
   * A module's bound section, or the section's absent value when the file does not write it.
   *
   * @throws IllegalStateException when the key was bound to another type (two modules disagree)
   */
  public <C> C section(ConfigSection<C> section) {
    requireNonNull(section, "section");
    Object bound = sections.get(section.key());
    if (bound == null) {
      return section.absent();
    }
    if (!section.type().isInstance(bound)) {
      throw new IllegalStateException("section '" + section.key() + "' is bound to " + bound.getClass().getName()
          + ", not " + section.type().getName());
    }
    return section.type().cast(bound);
  }
}
