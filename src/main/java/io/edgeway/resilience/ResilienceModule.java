package io.edgeway.resilience;

import io.edgeway.admin.AdminServer;
import io.edgeway.proxy.PoolStats;
import io.edgeway.proxy.Upstream;
import io.edgeway.proxy.UpstreamTarget;
import io.edgeway.runtime.CompiledRoute;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.runtime.GatewayRuntime;
import io.edgeway.runtime.TargetMonitorFactory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Registers the {@link ResilienceRegistry} service (breakers and retry counters of all routes) and
 * the admin endpoints {@code GET /circuit-breakers}, {@code GET /upstreams} (targets, health,
 * ejections, connection pools) and {@code GET /retries}.
 */
public final class ResilienceModule implements GatewayModule {
  private final LongSupplier nanoClock;

  public ResilienceModule() {
    this(System::nanoTime);
  }

  /** A module whose breakers read {@code nanoClock} (tests drive time by hand). */
  public ResilienceModule(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  @Override
  public String name() {
    return "resilience";
  }

  @Override
  public Future<Void> start(Context context) {
    ResilienceRegistry registry = new ResilienceRegistry(nanoClock);
    context.services().register(ResilienceRegistry.class, registry);
    context.services().register(TargetMonitorFactory.class, UpstreamMonitors::create);
    context.runtime().addMetricSource(registry);
    AdminServer admin = context.admin();
    if (admin != null) {
      GatewayRuntime runtime = context.runtime();
      admin.register("/circuit-breakers", req -> Future.succeededFuture(
          new JsonObject().put("circuitBreakers", new JsonArray(registry.describeBreakers().stream()
              .map(JsonObject::new).toList()))));
      admin.register("/upstreams", req -> upstreams(runtime));
      admin.register("/retries", req -> {
        JsonObject routes = new JsonObject();
        registry.retries().entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(e -> routes.put(e.getKey(), new JsonObject(e.getValue().describe())));
        return Future.succeededFuture(new JsonObject().put("retries", routes));
      });
    }
    return Future.succeededFuture();
  }

  /**
   * {@code GET /upstreams}: per route, each target's weight, availability (health, ejection),
   * in-flight requests and monitor state, and its connection pools (as each loop last published them).
   */
  static Future<JsonObject> upstreams(GatewayRuntime runtime) {
    List<CompiledRoute> routes = runtime.snapshot().routes();
    JsonArray out = new JsonArray();
    for (int r = 0; r < routes.size(); r++) {
      CompiledRoute route = routes.get(r);
      Upstream upstream = route.upstream();
      List<PoolStats> stats = upstream.poolStats();
      JsonArray targets = new JsonArray();
      for (int i = 0; i < upstream.targets().size(); i++) {
        UpstreamTarget t = upstream.targets().get(i);
        PoolStats pool = stats.get(i);
        JsonObject target = new JsonObject()
            .put("url", t.url())
            .put("weight", t.weight())
            .put("available", t.isAvailable())
            .put("healthy", t.isHealthy())
            .put("ejected", t.isEjected())
            .put("inFlight", t.inFlight())
            .put("pool", new JsonObject()
                .put("open", pool.open())
                .put("inUse", pool.inUse())
                .put("idle", pool.idle())
                .put("waiters", pool.waiters()));
        UpstreamMonitors.describe(upstream.monitor(), t).forEach((k, v) -> target.put(k, new JsonObject(castMap(v))));
        targets.add(target);
      }
      out.add(new JsonObject()
          .put("route", route.id())
          .put("poolLimitsPerLoop", new JsonObject()
              .put("maxConnections", upstream.maxConnections())
              .put("maxWaitQueue", upstream.maxWaitQueue()))
          .put("targets", targets));
    }
    return Future.succeededFuture(new JsonObject().put("upstreams", out));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object value) {
    return (Map<String, Object>) value;
  }
}
