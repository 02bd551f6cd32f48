/**
 * Route selection: {@link io.edgeway.routing.RouteTable} (an immutable snapshot built from
 * {@link io.edgeway.routing.RouteSpec}s, matched by method, host, canonical path and headers) and
 * {@link io.edgeway.routing.PathRewriter} (the upstream path). Generic over the route payload, so
 * this package knows nothing about proxying or filters.
 */
package io.edgeway.routing;
