package io.edgeway.ratelimit;

import io.edgeway.config.ConfigSection;
import io.edgeway.config.GatewayConfig;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.runtime.GatewayServices;
import io.edgeway.runtime.StateEvents;
import io.edgeway.spi.TokenBuckets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;

/**
 * The process-wide parts of rate limiting: the per-node bucket registry and metrics (always), and,
 * when {@code rate-limit-store.redis} is configured, the Redis store for {@code scope: cluster}.
 * Publishes {@code ratelimit.degraded} / {@code ratelimit.recovered} state events when the store
 * becomes unavailable / available again, and serves {@code GET /ratelimit} on the admin API.
 */
public final class RateLimitModule implements GatewayModule {
  private Vertx vertx;
  private RedisBucketStore store;

  @Override
  public String name() {
    return "ratelimit";
  }

  @Override
  public Optional<ConfigSection<?>> section() {
    return Optional.of(RateLimitStoreConfig.SECTION);
  }

  /**
   * With {@code rate-limit-store.redis} configured, the store as configured but never started: no
   * client, no threads, no connection (Lettuce is created in {@link RedisBucketStore#start}).
   */
  @Override
  public void registerValidationViews(GatewayConfig config, GatewayServices views) {
    // Plugins' buckets in memory, even with Redis configured: validation opens no connection,
    // and filters created against views never serve a request.
    PluginTokenBuckets pluginBuckets = new PluginTokenBuckets(null, null);
    views.registerPerFilter(TokenBuckets.class, (filter, route) -> pluginBuckets.forFilter(filter));
    RedisStoreConfig redis = config.section(RateLimitStoreConfig.SECTION).redis();
    if (redis != null) {
      views.register(RedisBucketStore.class, new RedisBucketStore(redis, new StoreBreaker.Listener() {
        @Override
        public void opened(Throwable cause) {}

        @Override
        public void closed() {}
      }));
    }
  }

  @Override
  public Future<Void> start(Context context) {
    vertx = context.vertx();
    RateLimitMetrics metrics = new RateLimitMetrics();
    LocalBucketRegistry registry = new LocalBucketRegistry();
    context.services().register(LocalBucketRegistry.class, registry);
    context.services().register(RateLimitMetrics.class, metrics);
    RedisStoreConfig redis = context.config().section(RateLimitStoreConfig.SECTION).redis();
    Future<Void> started = Future.succeededFuture();
    if (redis != null) {
      StateEvents events = context.services().find(StateEvents.class).orElse((type, subject, data) -> { });
      String subject = redis.subject();
      store = new RedisBucketStore(redis, new StoreBreaker.Listener() {
        @Override
        public void opened(Throwable cause) {
          events.publish("ratelimit.degraded", subject, Map.of("store", "redis", "reason", String.valueOf(
              cause == null ? "unknown" : cause.getClass().getSimpleName())));
        }

        @Override
        public void closed() {
          events.publish("ratelimit.recovered", subject, Map.of("store", "redis"));
        }
      });
      context.services().register(RedisBucketStore.class, store);
      started = store.start(vertx);
    }
    // Plugins' buckets: the same Redis store as scope: cluster when configured, else per node.
    PluginTokenBuckets pluginBuckets = new PluginTokenBuckets(vertx, store);
    context.services().registerPerFilter(TokenBuckets.class, (filter, route) -> pluginBuckets.forFilter(filter));
    if (context.admin() != null) {
      context.admin().register("/ratelimit", req -> Future.succeededFuture(status(metrics, registry, store)));
    }
    return started;
  }

  /**
   * {@code GET /ratelimit}: decisions, per-node buckets, and the store cluster limits use: always
   * {@code kind: local} without {@code rate-limit-store}; with Redis, where it is, whether it is
   * connected, whether limits are degraded (breaker open: {@code on-store-failure} applies) and
   * the breaker itself.
   */
  static JsonObject status(RateLimitMetrics metrics, LocalBucketRegistry registry, RedisBucketStore store) {
    JsonObject body = new JsonObject().put("decisions", metrics.toJson()).put("nodeBuckets", registry.buckets());
    if (store == null) {
      return body.put("store", new JsonObject().put("kind", "local").put("degraded", false));
    }
    return body.put("store", new JsonObject()
        .put("kind", "redis")
        .put("deployment", store.deployment())
        .put("address", store.address())
        .put("connected", store.connected())
        .put("degraded", store.degraded())
        .put("consecutiveFailures", store.consecutiveFailures())
        .put("breaker", new JsonObject(store.breaker())));
  }

  @Override
  public Future<Void> stop() {
    return store == null ? Future.succeededFuture() : store.close(vertx);
  }
}
