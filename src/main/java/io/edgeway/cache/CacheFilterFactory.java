package io.edgeway.cache;

import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;

/**
 * {@code cache}: an HTTP response cache (RFC 9111, as a shared cache) in stage CACHE, after
 * authentication and rate limiting so a hit never skips them. Entries live in the process-wide
 * {@link ResponseCache} the {@link CacheModule} registers.
 */
public final class CacheFilterFactory implements GatewayFilterFactory<CacheConfig> {

  @Override
  public String name() {
    return "cache";
  }

  @Override
  public Stage stage() {
    return Stage.CACHE;
  }

  @Override
  public Class<CacheConfig> configType() {
    return CacheConfig.class;
  }

  @Override
  public GatewayFilter create(CacheConfig config, FilterContext context) {
    ResponseCache store = context.service(ResponseCache.class).orElseThrow(() -> new IllegalArgumentException(
        "cache: the response cache store is not available (expected: the cache module on the class path)"));
    store.acquireRoute(context.routeId());
    context.onClose(() -> store.releaseRoute(context.routeId()));
    return new CacheFilter(context.routeId(), config, store, context.vertx());
  }
}
