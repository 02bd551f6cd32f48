package io.edgeway.ratelimit;

import io.edgeway.config.ConfigDiff;
import io.edgeway.config.ConfigSection;
import io.edgeway.config.GatewayConfig;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.runtime.GatewayServices;
import io.edgeway.runtime.StateEvents;
import io.edgeway.spi.TokenBuckets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide parts of rate limiting: the per-node bucket registry and metrics (always), and,
 * when {@code rate-limit-store.redis} is configured, the Redis store for {@code scope: cluster}.
 * Publishes {@code ratelimit.degraded} / {@code ratelimit.recovered} state events when the store
 * becomes unavailable / available again, and serves {@code GET /ratelimit} on the admin API.
 */
public final class RateLimitModule implements GatewayModule {
  private static final Logger log = LoggerFactory.getLogger(RateLimitModule.class);
  private Vertx vertx;
  private StateEvents events;
  private volatile RedisBucketStore store;

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
    events = context.services().find(StateEvents.class).orElse((type, subject, data) -> { });
    RedisStoreConfig redis = context.config().section(RateLimitStoreConfig.SECTION).redis();
    Future<Void> started = Future.succeededFuture();
    if (redis != null) {
      store = newStore(redis);
      context.services().register(RedisBucketStore.class, store);
      started = store.start(vertx);
    }
    // A reload may switch stores: requests using one hold their snapshot until they end, and the
    // old store closes only after the last of them.
    context.services().holdWhileInUse(RedisBucketStore.class);
    context.services().holdWhileInUse(TokenBuckets.class);
    registerPluginBuckets(context.services(), store);
    if (context.admin() != null) {
      // Reads the store at each call: a reload may switch it.
      context.admin().register("/ratelimit", req -> Future.succeededFuture(status(metrics, registry, store)));
    }
    return started;
  }

  /**
   * The store is live on reload: a changed {@code rate-limit-store} builds the new Redis store and
   * waits for its first connection before the swap (a Redis that cannot be reached refuses the
   * reload); the routes of the new snapshot use it, and the old store closes once the old
   * snapshot's last request using it ended. Per-node buckets are not touched.
   */
  @Override
  public List<ConfigDiff.Change> restartRequired(GatewayConfig running, GatewayConfig next) {
    return List.of();
  }

  @Override
  public Future<PreparedReload> prepareReload(GatewayConfig running, GatewayConfig next, GatewayServices staged) {
    RedisStoreConfig redis = next.section(RateLimitStoreConfig.SECTION).redis();
    RedisBucketStore old = store;
    RedisBucketStore fresh = redis == null ? null : newStore(redis);
    Future<Void> ready = fresh == null ? Future.succeededFuture() : fresh.startConnected(vertx)
        .recover(failure -> fresh.close(vertx).transform(ignored -> Future.failedFuture(failure)));
    return ready.map(v -> {
      if (fresh == null) {
        staged.withdraw(RedisBucketStore.class);
      } else {
        staged.register(RedisBucketStore.class, fresh);
      }
      registerPluginBuckets(staged, fresh);
      return new PreparedReload() {
        @Override
        public void commit() {
          store = fresh;
          log.info("rate-limit store reloaded: {} (was {})", fresh == null ? "per node" : fresh.address(),
              old == null ? "per node" : old.address());
        }

        @Override
        public void releaseOld() {
          if (old != null) {
            old.close(vertx);
          }
        }

        @Override
        public void abandon() {
          if (fresh != null) {
            fresh.close(vertx);
          }
        }
      };
    });
  }

  private RedisBucketStore newStore(RedisStoreConfig redis) {
    String subject = redis.subject();
    return new RedisBucketStore(redis, new StoreBreaker.Listener() {
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
  }

  // Plugins' buckets: the same Redis store as scope: cluster when configured, else per node.
  private void registerPluginBuckets(GatewayServices services, RedisBucketStore redis) {
    PluginTokenBuckets pluginBuckets = new PluginTokenBuckets(vertx, redis);
    services.registerPerFilter(TokenBuckets.class, (filter, route) -> pluginBuckets.forFilter(filter));
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
    RedisBucketStore store = this.store;
    return store == null ? Future.succeededFuture() : store.close(vertx);
  }
}
