package io.edgeway.resilience;

import io.edgeway.spi.AttributeKey;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayException;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.Stage;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code concurrency-limit}: a bulkhead. At most {@code max} requests of the route are in progress
 * at once; a request over the limit gets 503 {@code concurrency_limit} at once, without queueing
 * and without touching the upstream. A slot is held until the response was written (or the client
 * went away), so slow downloads count too. A request passing the filter again (a retry listed
 * before it) keeps its one slot.
 */
public final class ConcurrencyLimitFilterFactory implements GatewayFilterFactory<ConcurrencyLimitConfig> {
  static final String CODE = "concurrency_limit";
  private static final GatewayException REJECTED = new GatewayException(503, CODE,
      "Too many concurrent requests on this route", Map.of("Retry-After", "1"));
  private static final AttributeKey<ConcurrencyLimitFilter> HOLDER =
      AttributeKey.of("concurrency-limit-slot", ConcurrencyLimitFilter.class);

  @Override
  public String name() {
    return "concurrency-limit";
  }

  @Override
  public Stage stage() {
    return Stage.RESILIENCE;
  }

  @Override
  public Class<ConcurrencyLimitConfig> configType() {
    return ConcurrencyLimitConfig.class;
  }

  @Override
  public GatewayFilter create(ConcurrencyLimitConfig config, FilterContext context) {
    return new ConcurrencyLimitFilter(config.max());
  }

  static final class ConcurrencyLimitFilter implements GatewayFilter {
    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    ConcurrencyLimitFilter(int max) {
      this.max = max;
    }

    int inFlight() {
      return inFlight.get();
    }

    @Override
    public Future<GatewayResponse> filter(Exchange exchange, FilterChain chain) {
      if (exchange.get(HOLDER) == this) {
        return chain.proceed(exchange);
      }
      if (inFlight.incrementAndGet() > max) {
        inFlight.decrementAndGet();
        return Future.failedFuture(REJECTED);
      }
      exchange.put(HOLDER, this);
      exchange.onComplete(outcome -> inFlight.decrementAndGet());
      return chain.proceed(exchange);
    }
  }
}
