package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.filter.FilterRegistry;
import io.edgeway.plugin.PluginSet;
import io.edgeway.proxy.Upstream;
import io.vertx.core.Future;
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
 * @param plugins the filters it was compiled with (built-ins and plugin jars)
 * @param references who still uses it (installed, requests on plugin routes)
 */
public record RouteSnapshot(
    RouteTable<CompiledRoute> table, List<CompiledRoute> routes, Instant loadedAt, String source,
    List<Runnable> closeActions, PluginSet plugins, SnapshotReferences references) {
  private static final PluginSet NO_PLUGINS = PluginSet.fixed(FilterRegistry.of(List.of()));

  public RouteSnapshot {
    routes = List.copyOf(routes);
    closeActions = List.copyOf(closeActions);
    requireNonNull(plugins, "plugins");
    requireNonNull(references, "references");
  }

  /** A snapshot holding no plugin jars. */
  public RouteSnapshot(RouteTable<CompiledRoute> table, List<CompiledRoute> routes, Instant loadedAt, String source,
      List<Runnable> closeActions) {
    this(table, routes, loadedAt, source, closeActions, NO_PLUGINS, new SnapshotReferences());
  }

  /**
   * This snapshot holding {@code set}'s plugin jars until it drained (retired or closed, and its
   * last request on a plugin route ended). Call once, before it is installed.
   */
  public RouteSnapshot withPlugins(PluginSet set) {
    requireNonNull(set, "set");
    set.retain();
    references.whenDrained(set::release);
    return new RouteSnapshot(table, routes, loadedAt, source, closeActions, set, references);
  }

  /** A snapshot with no routes (every request gets 404). */
  public static RouteSnapshot empty(String source) {
    return new RouteSnapshot(RouteTable.<CompiledRoute>builder().build(), List.of(), Instant.now(), source, List.of());
  }

  /** Releases upstream pools and filter resources of this snapshot at once (shutdown). */
  public void close() {
    routes.forEach(r -> r.upstream().close());
    runCloseActions();
    references.release();
  }

  /**
   * Releases what {@code next} did not take over, after {@code next} was swapped in: the upstreams
   * it does not share drain and close (requests in flight on this snapshot finish first), and the
   * filters' close actions run (state kept by route and definition, such as breakers and bucket
   * stores, was already taken by {@code next}'s filters and survives them). An upstream that
   * {@code next} replaced by a changed one first hands its unchanged targets' state and pools over
   * ({@link Upstream#retireInto}); the future completes once every event loop did.
   */
  public Future<Void> retire(RouteSnapshot next) {
    java.util.Set<Object> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    java.util.Map<Upstream, Upstream> successors = new java.util.IdentityHashMap<>();
    for (CompiledRoute r : next.routes()) {
      kept.add(r.upstream());
      if (r.upstream().predecessor() != null) {
        successors.put(r.upstream().predecessor(), r.upstream());
      }
    }
    List<Future<Void>> handOvers = new java.util.ArrayList<>();
    for (CompiledRoute route : routes) {
      if (!kept.contains(route.upstream())) {
        Upstream successor = successors.get(route.upstream());
        if (successor != null) {
          handOvers.add(route.upstream().retireInto(successor));
        } else {
          route.upstream().retire();
        }
      }
    }
    runCloseActions();
    // Requests still running plugin code keep its jars open; the last one releases them.
    references.release();
    return Future.all(handOvers).mapEmpty();
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
