package io.edgeway.cache;

import static java.util.Objects.requireNonNull;

import io.edgeway.admin.AdminServer;
import io.edgeway.config.ConfigDiff;
import io.edgeway.config.ConfigSection;
import io.edgeway.config.GatewayConfig;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.runtime.GatewayServices;
import io.edgeway.spi.GatewayException;
import io.edgeway.spi.SharedCache;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Locale;
import java.util.List;
import java.util.Optional;

/**
 * Creates the process-wide {@link ResponseCache} from the top-level {@code cache} section,
 * registers it for the {@code cache} filter, and adds the admin endpoints
 * {@code GET /cache/stats} and {@code POST /cache/purge}.
 */
public final class CacheModule implements GatewayModule {
  private final Clock clock;
  private volatile ResponseCache cache;
  private volatile PluginCaches pluginCaches;

  /** The module as discovered by the gateway: wall-clock time. */
  public CacheModule() {
    this(Clock.systemUTC());
  }

  /** A module on the given clock (tests move time forward without sleeping). */
  public CacheModule(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public String name() {
    return "cache";
  }

  /** The store, once started. */
  public ResponseCache cache() {
    return cache;
  }

  @Override
  public Optional<ConfigSection<?>> section() {
    return Optional.of(CacheStoreConfig.SECTION);
  }

  /**
   * An empty response store and an empty plugins' cache of the configured sizes (Caffeine
   * allocates nothing up front), never started, dropped after validation.
   */
  @Override
  public void registerValidationViews(GatewayConfig config, GatewayServices views) {
    CacheStoreConfig section = config.section(CacheStoreConfig.SECTION);
    views.register(ResponseCache.class, new ResponseCache(section.maxSize().bytes(), clock));
    PluginCaches pluginCaches = new PluginCaches(section.pluginMaxSize().bytes());
    views.registerPerFilter(SharedCache.class, (filter, route) -> pluginCaches.forFilter(filter));
  }

  /** {@code cache.max-size} and {@code cache.plugin-max-size} apply while running: resized, entries kept. */
  @Override
  public List<ConfigDiff.Change> restartRequired(GatewayConfig running, GatewayConfig next) {
    return GatewayModule.changes(CacheStoreConfig.SECTION, running, next).stream()
        .filter(change -> !change.path().equals("cache.max-size") && !change.path().equals("cache.plugin-max-size"))
        .toList();
  }

  @Override
  public void reload(GatewayConfig next) {
    ResponseCache store = cache;
    if (store != null) {
      store.resize(next.section(CacheStoreConfig.SECTION).maxSize().bytes());
    }
    PluginCaches caches = pluginCaches;
    if (caches != null) {
      caches.resize(next.section(CacheStoreConfig.SECTION).pluginMaxSize().bytes());
    }
  }

  @Override
  public Future<Void> start(Context context) {
    ResponseCache store = new ResponseCache(context.config().section(CacheStoreConfig.SECTION).maxSize().bytes(), clock);
    this.cache = store;
    context.services().register(ResponseCache.class, store);
    PluginCaches caches = new PluginCaches(context.config().section(CacheStoreConfig.SECTION).pluginMaxSize().bytes());
    this.pluginCaches = caches;
    context.services().registerPerFilter(SharedCache.class, (filter, route) -> caches.forFilter(filter));
    context.runtime().addObserver(new UnsafeRequestInvalidation(store));
    context.runtime().addMetricSource(store::collect);
    AdminServer admin = context.admin();
    if (admin != null) {
      Vertx vertx = context.vertx();
      admin.register("/cache/stats", req -> Future.succeededFuture(store.stats().put("plugins", caches.stats())));
      admin.register(HttpMethod.POST, "/cache/purge", req -> purge(vertx, store, req));
    }
    return Future.succeededFuture();
  }

  /**
   * {@code POST /cache/purge} with exactly one selector as a query parameter:
   * {@code all=true}, {@code route=ID}, {@code prefix=/path/} or {@code path=/exact} (the last two
   * optionally with {@code host=}). Purges scan the store, so they run on a worker thread.
   */
  static Future<JsonObject> purge(Vertx vertx, ResponseCache store, HttpServerRequest req) {
    MultiMap params = req.params();
    String host = params.get("host");
    String normalizedHost = host == null || host.isBlank() ? null : host.trim().toLowerCase(Locale.ROOT);
    int selectors = 0;
    for (String name : new String[] {"all", "route", "prefix", "path"}) {
      if (params.contains(name)) {
        selectors++;
      }
    }
    if (selectors != 1) {
      return Future.failedFuture(new GatewayException(400, "bad_request",
          "Give exactly one of all=true, route=ID, prefix=/path or path=/exact"));
    }
    String route = params.get("route");
    String prefix = params.get("prefix");
    String path = params.get("path");
    if (params.contains("all") && !"true".equals(params.get("all"))) {
      return Future.failedFuture(new GatewayException(400, "bad_request", "all: expected true"));
    }
    if ((prefix != null && !prefix.startsWith("/")) || (path != null && !path.startsWith("/"))
        || (route != null && route.isBlank())) {
      return Future.failedFuture(new GatewayException(400, "bad_request",
          "prefix and path must start with /, route must not be empty"));
    }
    JsonObject selector = new JsonObject();
    params.forEach(e -> selector.put(e.getKey(), e.getValue()));
    return vertx.executeBlocking(() -> {
      long purged;
      if (route != null) {
        purged = store.purgeRoute(route);
      } else if (prefix != null) {
        purged = store.purgePrefix(normalizedHost, prefix);
      } else if (path != null) {
        purged = store.purgePath(normalizedHost, path);
      } else {
        purged = store.purgeAll();
      }
      return new JsonObject().put("purged", purged).put("selector", selector);
    }, false);
  }
}
