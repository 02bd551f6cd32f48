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
 * @param closeActions what the route's filters registered with {@code FilterContext.onClose}
 */
public record RouteSnapshot(
    RouteTable<CompiledRoute> table, List<CompiledRoute> routes, Instant loadedAt, String source,
    List<Runnable> closeActions) {
  public RouteSnapshot {
    routes = List.copyOf(routes);
    closeActions = List.copyOf(closeActions);
  }

  /** A snapshot with no routes (every request gets 404). */
  public static RouteSnapshot empty(String source) {
    return new RouteSnapshot(RouteTable.<CompiledRoute>builder().build(), List.of(), Instant.now(), source, List.of());
  }

  /** Releases upstream pools and filter resources of this snapshot at once (shutdown). */
  public void close() {
    routes.forEach(r -> r.upstream().close());
    runCloseActions();
  }

  /**
   * Releases what {@code next} did not take over, after {@code next} was swapped in: the upstreams
   * it does not share drain and close (requests in flight on this snapshot finish first), and the
   * filters' close actions run (state kept by route and definition, such as breakers and bucket
   * stores, was already taken by {@code next}'s filters and survives them).
   */
  public void retire(RouteSnapshot next) {
    java.util.Set<Object> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    next.routes().forEach(r -> kept.add(r.upstream()));
    for (CompiledRoute route : routes) {
      if (!kept.contains(route.upstream())) {
        route.upstream().retire();
      }
    }
    runCloseActions();
  }

  private void runCloseActions() {
    for (Runnable action : closeActions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(RouteSnapshot.class).warn("filter close action failed", e);
      }
    }
  }
}
