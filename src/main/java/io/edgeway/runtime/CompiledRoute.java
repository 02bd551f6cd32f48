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
 */
public record CompiledRoute(
    String id, FilterChain chain, Upstream upstream, long maxBodyBytes, long requestBodyTimeoutNanos, boolean websocket,
    RouteConfig config) {

  public CompiledRoute {
    requireNonNull(id, "id");
    requireNonNull(chain, "chain");
    requireNonNull(upstream, "upstream");
    requireNonNull(config, "config");
  }
}
