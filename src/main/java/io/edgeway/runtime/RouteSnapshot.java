package io.edgeway.runtime;

import io.edgeway.routing.RouteTable;
import java.time.Instant;
import java.util.List;

/**
 * The immutable routing state of one configuration. A reload builds a new snapshot and swaps it
 * in atomically; requests in flight keep the snapshot they started with.
 *
 * @param table the route table
 * @param routes the compiled routes in configuration order
 * @param loadedAt when this snapshot was built
 * @param source where the configuration came from (file name)
 */
public record RouteSnapshot(RouteTable<CompiledRoute> table, List<CompiledRoute> routes, Instant loadedAt, String source) {
  public RouteSnapshot {
    routes = List.copyOf(routes);
  }

  /** A snapshot with no routes (every request gets 404). */
  public static RouteSnapshot empty(String source) {
    return new RouteSnapshot(RouteTable.<CompiledRoute>builder().build(), List.of(), Instant.now(), source);
  }

  /** Releases upstream pools and filter resources of this snapshot. */
  public void close() {
    routes.forEach(r -> r.upstream().close());
  }
}
