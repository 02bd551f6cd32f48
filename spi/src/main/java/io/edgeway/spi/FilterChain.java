package io.edgeway.spi;

import io.vertx.core.Future;

/**
 * The remainder of a route's chain after the current filter. It can be called more than once
 * (a retry filter does), each call running the remaining filters and the upstream call again.
 */
@FunctionalInterface
public interface FilterChain {

  /**
   * Runs the rest of the chain.
   *
   * @param exchange the exchange the current filter received
   * @return the response produced downstream of this filter, or a failure
   */
  Future<GatewayResponse> proceed(Exchange exchange);
}
