package io.edgeway.spi;

import io.vertx.core.Future;

/**
 * One step of a route's filter chain, created once per route by its {@link GatewayFilterFactory}.
 *
 * <p>A filter is an "around" step: it may answer by itself without calling the chain (401, 429,
 * a cache hit), call {@link FilterChain#proceed(Exchange)} and edit what comes back (headers, cache
 * store), or call the chain several times (retry). It runs on the request's event loop and must
 * never block it: no blocking I/O, no locks held while waiting, no {@code Future.await()}.
 *
 * <p>To answer with an error, return {@link Exchange#problem(int, String, String)} or fail the
 * future with a {@link GatewayException}; never render error bodies yourself.
 */
@FunctionalInterface
public interface GatewayFilter {

  /**
   * Handles one request.
   *
   * @param exchange the request being served, with its typed attributes
   * @param chain the rest of the chain, ending with the upstream call
   * @return the response to send, or a failure (a {@link GatewayException} keeps its status)
   */
  Future<GatewayResponse> filter(Exchange exchange, FilterChain chain);
}
