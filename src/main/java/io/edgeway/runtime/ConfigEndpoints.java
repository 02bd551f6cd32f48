package io.edgeway.runtime;

import io.edgeway.admin.AdminServer;
import io.edgeway.proxy.UpstreamResources;
import io.edgeway.runtime.ConfigReloadStats.Attempt;
import io.edgeway.runtime.ConfigReloadStats.Outcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /config} (the running version, reload counters, the last attempt and its errors) and
 * {@code POST /config/reload} (reloads now and answers the outcome: 200 when applied or unchanged,
 * 422 with the errors when refused) on the admin API.
 */
final class ConfigEndpoints {
  private ConfigEndpoints() {}

  static void register(AdminServer admin, Vertx vertx, GatewayRuntime runtime, ConfigReloader reloader,
      boolean watching) {
    admin.register("/config", req -> Future.succeededFuture(describe(runtime, reloader, watching)));
    admin.register(HttpMethod.POST, "/config/reload", req -> {
      Context context = vertx.getOrCreateContext();
      Promise<JsonObject> answer = Promise.promise();
      // The reload runs on its own thread; the answer is written back on the admin request's loop.
      reloader.reload("admin").onComplete(ar -> context.runOnContext(v -> {
        if (ar.failed()) {
          answer.fail(ar.cause());
          return;
        }
        ConfigReloader.Result result = ar.result();
        if (result.attempt().outcome() == Outcome.FAILED) {
          req.response().setStatusCode(422);
        }
        answer.complete(result(result));
      }));
      return answer.future();
    });
  }

  static JsonObject describe(GatewayRuntime runtime, ConfigReloader reloader, boolean watching) {
    ConfigReloadStats stats = runtime.reloadStats();
    UpstreamResources resources = runtime.upstreamResources();
    Attempt last = stats.lastAttempt();
    return new JsonObject()
        .put("running", version(stats.running()).put("routes", runtime.snapshot().routes().size()))
        .put("reloadable", reloader.file().isPresent())
        .put("watching", watching)
        .put("reloads", new JsonObject()
            .put("attempts", stats.attempts())
            .put("succeeded", stats.successes())
            .put("failed", stats.failures()))
        .put("lastReload", last == null ? null : attempt(last))
        .put("upstreamResources", new JsonObject()
            .put("upstreams", resources.liveUpstreams())
            .put("loops", resources.liveLoops())
            .put("connections", resources.openConnections()));
  }

  static JsonObject result(ConfigReloader.Result result) {
    ConfigReloader.RouteChanges routes = result.routes();
    return attempt(result.attempt())
        .put("running", version(result.running()))
        .put("routes", new JsonObject()
            .put("added", new JsonArray(routes.added()))
            .put("removed", new JsonArray(routes.removed()))
            .put("changed", new JsonArray(routes.changed()))
            .put("kept", new JsonArray(routes.kept())));
  }

  private static JsonObject attempt(Attempt attempt) {
    return new JsonObject()
        .put("outcome", attempt.outcome().label())
        .put("trigger", attempt.trigger())
        .put("at", attempt.at().toString())
        .put("version", attempt.hash())
        .put("errors", new JsonArray(attempt.errors()));
  }

  private static JsonObject version(ConfigVersion version) {
    return new JsonObject()
        .put("version", version.hash())
        .put("source", version.source())
        .put("loadedAt", version.loadedAt().toString());
  }
}
