package io.edgeway.config;

import io.edgeway.auth.JwtProviderConfig;
import io.edgeway.cache.CacheStoreConfig;
import io.edgeway.events.EventsConfig;
import io.edgeway.ratelimit.RateLimitStoreConfig;
import java.util.List;
import java.util.Map;

/**
 * The whole gateway configuration, one component per top-level YAML section. To add a section
 * (say {@code jwt-providers}), add a component here with a default in the constructor: the binder
 * reads top-level keys from this record, so nothing else lists them.
 *
 * @param server the client-facing listener
 * @param admin the admin API listener
 * @param demoUpstream the embedded echo service
 * @param routes the routes in file order; default none
 * @param jwtProviders JWT issuers and their keys, by name, for the {@code jwt} filter; default none
 * @param rateLimitStore where cluster-scoped rate limits keep their buckets; default none (node scope only)
 * @param cache the process-wide response cache store (used by the {@code cache} filter)
 * @param events request and state events (CloudEvents to Kafka, local journal); absent: off
 */
public record GatewayConfig(ServerConfig server, AdminConfig admin, DemoUpstreamConfig demoUpstream, List<RouteConfig> routes,
    Map<String, JwtProviderConfig> jwtProviders, RateLimitStoreConfig rateLimitStore, CacheStoreConfig cache,
    EventsConfig events) {

  public GatewayConfig {
    server = server == null ? ServerConfig.defaults() : server;
    admin = admin == null ? AdminConfig.defaults() : admin;
    demoUpstream = demoUpstream == null ? DemoUpstreamConfig.defaults() : demoUpstream;
    routes = routes == null ? List.of() : List.copyOf(routes);
    jwtProviders = jwtProviders == null ? Map.of() : jwtProviders;
    rateLimitStore = rateLimitStore == null ? RateLimitStoreConfig.defaults() : rateLimitStore;
    cache = cache == null ? CacheStoreConfig.defaults() : cache;
    events = events == null ? EventsConfig.off() : events;
  }

  /** A gateway with every default and no routes (what an empty file means). */
  public static GatewayConfig defaults() {
    return new GatewayConfig(null, null, null, null, null, null, null, null);
  }
}
