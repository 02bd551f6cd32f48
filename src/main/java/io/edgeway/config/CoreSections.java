package io.edgeway.config;

import java.util.List;

/**
 * The sections the core owns, bound as one record. Module sections are bound beside it (see
 * {@link ConfigSchema}); {@link GatewayConfig} carries both.
 */
record CoreSections(ServerConfig server, AdminConfig admin, DemoUpstreamConfig demoUpstream, AccessLogConfig accessLog,
    PluginsConfig plugins, List<RouteConfig> routes) {

  static final List<String> KEYS = Binder.keysOf(CoreSections.class);
}
