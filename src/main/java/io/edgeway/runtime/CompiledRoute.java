package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.RouteConfig;
import io.edgeway.proxy.Upstream;
import io.edgeway.spi.FilterChain;

/**
 * A route ready to serve: everything derivable from its configuration computed once at load time
 * (filter chain linked to the upstream call, limits); the path rewrite lives in the route table entry.
 *
 * @param id the route id
 * @param chain the head of the filter chain (ends with the upstream call)
 * @param upstream the route's upstream targets and pools
 * @param maxBodyBytes request body limit
 * @param requestBodyTimeoutNanos how long the whole client upload may take
 * @param websocket whether WebSocket upgrades pass through on this route
 * @param config the configuration it was compiled from (for the admin API)
 * @param pluginCode whether a filter of a plugin jar runs on it, or a filter using a service a
 *     reload may replace and close (the rate-limit Redis store): its requests hold the snapshot
 *     (and with it the plugin class loaders and those services) until they end
 */
public record CompiledRoute(
    String id, FilterChain chain, Upstream upstream, long maxBodyBytes, long requestBodyTimeoutNanos, boolean websocket,
    RouteConfig config, boolean pluginCode) {

  /** A route of built-in filters only. */
  public CompiledRoute(String id, FilterChain chain, Upstream upstream, long maxBodyBytes, long requestBodyTimeoutNanos,
      boolean websocket, RouteConfig config) {
    this(id, chain, upstream, maxBodyBytes, requestBodyTimeoutNanos, websocket, config, false);
  }

  public CompiledRoute {
    requireNonNull(id, "id");
    requireNonNull(chain, "chain");
    requireNonNull(upstream, "upstream");
    requireNonNull(config, "config");
  }
}
