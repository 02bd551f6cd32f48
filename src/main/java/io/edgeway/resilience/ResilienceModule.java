package io.edgeway.resilience;

import io.edgeway.admin.AdminServer;
import io.edgeway.proxy.Upstream;
import io.edgeway.proxy.UpstreamTarget;
import io.edgeway.runtime.CompiledRoute;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.runtime.GatewayRuntime;
import io.edgeway.runtime.TargetMonitorFactory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Registers the {@link ResilienceRegistry} service (breakers and retry counters of all routes) and
 * the admin endpoints {@code GET /circuit-breakers}, {@code GET /upstreams} (targets, health,
 * ejections) and {@code GET /retries}.
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
      admin.register("/upstreams", req -> Future.succeededFuture(upstreams(runtime)));
      admin.register("/retries", req -> {
        JsonObject routes = new JsonObject();
        registry.retries().entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(e -> routes.put(e.getKey(), new JsonObject(e.getValue().describe())));
        return Future.succeededFuture(new JsonObject().put("retries", routes));
      });
    }
    return Future.succeededFuture();
  }

  static JsonObject upstreams(GatewayRuntime runtime) {
    JsonArray routes = new JsonArray();
    for (CompiledRoute route : runtime.snapshot().routes()) {
      Upstream upstream = route.upstream();
      JsonArray targets = new JsonArray();
      for (UpstreamTarget t : upstream.targets()) {
        JsonObject target = new JsonObject()
            .put("url", t.url())
            .put("weight", t.weight())
            .put("available", t.isAvailable())
            .put("healthy", t.isHealthy())
            .put("ejected", t.isEjected())
            .put("inFlight", t.inFlight());
        UpstreamMonitors.describe(upstream.monitor(), t).forEach((k, v) -> target.put(k, new JsonObject(castMap(v))));
        targets.add(target);
      }
      routes.add(new JsonObject().put("route", route.id()).put("targets", targets));
    }
    return new JsonObject().put("upstreams", routes);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object value) {
    return (Map<String, Object>) value;
  }
}
