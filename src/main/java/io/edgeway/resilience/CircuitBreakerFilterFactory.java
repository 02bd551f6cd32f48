package io.edgeway.resilience;

import io.edgeway.runtime.StateEvents;
import io.edgeway.spi.Body;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayException;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.Stage;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code circuit-breaker}: the route's breaker around the rest of the chain (retries included when
 * {@code retry} is listed after it). While open, the configured fallback answers, or a 503
 * {@code circuit_open} problem with {@code Retry-After}, and the upstream is not touched.
 *
 * <p>Counted as failures: the upstream failures the proxy reports (502 {@code upstream_unreachable}
 * and {@code upstream_bad_response}, 503, 504 {@code upstream_timeout}) and responses with a
 * configured failure status. Never 4xx, and never the gateway's own refusals
 * ({@code circuit_open}, {@code concurrency_limit}).
 */
public final class CircuitBreakerFilterFactory implements GatewayFilterFactory<CircuitBreakerConfig> {
  static final String CIRCUIT_OPEN = "circuit_open";

  @Override
  public String name() {
    return "circuit-breaker";
  }

  @Override
  public Stage stage() {
    return Stage.RESILIENCE;
  }

  @Override
  public Class<CircuitBreakerConfig> configType() {
    return CircuitBreakerConfig.class;
  }

  @Override
  public GatewayFilter create(CircuitBreakerConfig config, FilterContext context) {
    StateEvents events = context.service(StateEvents.class).orElse(null);
    ResilienceRegistry registry = context.service(ResilienceRegistry.class).orElse(null);
    CircuitBreaker breaker;
    if (registry != null) {
      breaker = registry.breaker(context.routeId(), config, events);
      context.onClose(() -> registry.releaseBreaker(context.routeId(), breaker));
    } else {
      breaker = new CircuitBreaker(context.routeId(), config, System::nanoTime, events);
    }
    FallbackUpstream alternate = config.fallback() != null && config.fallback().upstream() != null
        ? new FallbackUpstream(context.vertx(), config.fallback().upstream()) : null;
    if (alternate != null) {
      context.onClose(alternate::close);
    }
    return new CircuitBreakerFilter(breaker, config, alternate);
  }

  static final class CircuitBreakerFilter implements GatewayFilter {
    private final CircuitBreaker breaker;
    private final boolean[] failureStatus = new boolean[600];
    private final FallbackConfig fallback;
    private final byte[] staticBody;
    private final FallbackUpstream alternate;

    CircuitBreakerFilter(CircuitBreaker breaker, CircuitBreakerConfig config, FallbackUpstream alternate) {
      this.breaker = breaker;
      config.failureStatuses().forEach(s -> failureStatus[s] = true);
      this.fallback = config.fallback();
      this.staticBody = fallback != null && fallback.isStatic() ? fallback.body().getBytes(StandardCharsets.UTF_8) : null;
      this.alternate = alternate;
    }

    @Override
    public Future<GatewayResponse> filter(Exchange exchange, FilterChain chain) {
      CircuitBreaker.Phase phase = breaker.tryAcquire();
      if (phase == null) {
        exchange.put(StandardAttributes.BREAKER_STATE, breaker.state().label);
        return whenOpen(exchange);
      }
      exchange.put(StandardAttributes.BREAKER_STATE, phase.state.label);
      long started = breaker.nanoTime();
      return chain.proceed(exchange).andThen(ar -> report(phase, started, ar));
    }

    private void report(CircuitBreaker.Phase phase, long started, AsyncResult<GatewayResponse> ar) {
      long nanos = breaker.nanoTime() - started;
      if (ar.succeeded()) {
        if (failureStatus[ar.result().status()]) {
          breaker.onFailure(phase, nanos);
        } else {
          breaker.onSuccess(phase, nanos);
        }
      } else if (isUpstreamFailure(ar.cause())) {
        breaker.onFailure(phase, nanos);
      } else {
        breaker.onIgnored(phase);
      }
    }

    static boolean isUpstreamFailure(Throwable cause) {
      if (!(cause instanceof GatewayException ge)) {
        return false;
      }
      String code = ge.code();
      if (code.equals(CIRCUIT_OPEN) || code.equals(ConcurrencyLimitFilterFactory.CODE)) {
        return false;
      }
      int s = ge.status();
      return s == 502 || s == 503 || s == 504;
    }

    private Future<GatewayResponse> whenOpen(Exchange exchange) {
      long retryAfter = breaker.retryAfterSeconds();
      if (fallback != null && fallback.isStatic()) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        headers.set("Content-Type", fallback.contentType());
        headers.set("Cache-Control", "no-store");
        if (fallback.status() == 503) {
          headers.set("Retry-After", Long.toString(retryAfter));
        }
        return Future.succeededFuture(GatewayResponse.of(fallback.status(), headers,
            staticBody.length == 0 ? Body.empty() : Body.of(Buffer.buffer(staticBody))));
      }
      if (alternate != null) {
        return alternate.send(exchange);
      }
      // No fallback, or stale-cache: the cache filter (an earlier stage) turns this into its stale entry.
      return Future.failedFuture(new GatewayException(503, CIRCUIT_OPEN, "Circuit breaker is open",
          Map.of("Retry-After", Long.toString(retryAfter))));
    }
  }
}
