package io.edgeway.resilience;

import io.edgeway.proxy.UpstreamCall;
import io.edgeway.spi.Body;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayException;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.Stage;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.ReadStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * {@code retry}: calls the rest of the chain again when an attempt failed with a listed cause,
 * before anything of the response was handed back (a retried response's body is discarded). Each
 * attempt runs the balancer again, so it may go to another target. Backoff runs on a Vert.x timer;
 * nothing sleeps. Retries are bounded by {@code attempts} and by the route's retry budget.
 *
 * <p>Request bodies: an empty or buffered body is simply sent again; a streamed body with a
 * Content-Length up to {@code max-buffered-body} is read into memory once, before the first
 * attempt; any other body is sent once, without retries.
 */
public final class RetryFilterFactory implements GatewayFilterFactory<RetryConfig> {

  @Override
  public String name() {
    return "retry";
  }

  @Override
  public Stage stage() {
    return Stage.RESILIENCE;
  }

  @Override
  public Class<RetryConfig> configType() {
    return RetryConfig.class;
  }

  @Override
  public GatewayFilter create(RetryConfig config, FilterContext context) {
    ResilienceRegistry registry = context.service(ResilienceRegistry.class).orElse(null);
    LongSupplier clock = registry == null ? System::nanoTime : registry.nanoClock();
    RetryStats stats = registry == null ? new RetryStats() : registry.retryStats(context.routeId());
    if (registry != null) {
      context.onClose(() -> registry.releaseRetryStats(context.routeId()));
    }
    return new RetryFilter(context.vertx(), config, stats, clock);
  }

  static final class RetryFilter implements GatewayFilter {
    private final Vertx vertx;
    private final int attempts;
    private final boolean onConnectFailure;
    private final boolean onTimeout;
    private final boolean[] onStatus = new boolean[600];
    private final Set<HttpMethod> methods;
    private final long initialMillis;
    private final long maxMillis;
    private final boolean jitter;
    private final Long perTryTimeoutMillis;
    private final long maxBufferedBody;
    private final RetryBudget budget;
    private final RetryStats stats;

    RetryFilter(Vertx vertx, RetryConfig config, RetryStats stats, LongSupplier clock) {
      this.vertx = vertx;
      this.attempts = config.attempts();
      Set<String> causes = config.on().stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
      this.onConnectFailure = causes.contains(RetryConfig.CONNECT_FAILURE);
      this.onTimeout = causes.contains(RetryConfig.TIMEOUT);
      causes.stream().mapToInt(RetryConfig::status).filter(s -> s > 0).forEach(s -> onStatus[s] = true);
      this.methods = config.methods().stream().map(HttpMethod::valueOf).collect(Collectors.toUnmodifiableSet());
      this.initialMillis = config.backoff().initial().toMillis();
      this.maxMillis = config.backoff().max().toMillis();
      this.jitter = config.backoff().jitter();
      this.perTryTimeoutMillis = config.perTryTimeout() == null ? null : config.perTryTimeout().toMillis();
      this.maxBufferedBody = config.maxBufferedBody().bytes();
      this.budget = new RetryBudget(config.budget().fraction(), config.budgetMinRetries(),
          config.budgetWindow().toNanos(), clock);
      this.stats = stats;
    }

    @Override
    public Future<GatewayResponse> filter(Exchange exchange, FilterChain chain) {
      budget.onRequest();
      stats.requests.increment();
      if (perTryTimeoutMillis != null) {
        exchange.put(UpstreamCall.ATTEMPT_TIMEOUT_MILLIS, perTryTimeoutMillis);
      }
      if (attempts == 1 || !methods.contains(exchange.request().method())) {
        return chain.proceed(exchange);
      }
      Body body = exchange.request().body();
      if (body.isBuffered()) {
        return attempt(exchange, chain, 1);
      }
      if (body.length() < 0 || body.length() > maxBufferedBody) {
        stats.bodyTooLarge.increment();
        return chain.proceed(exchange);
      }
      return read(body.stream(), body.length()).compose(buffer -> {
        exchange.request().body(Body.of(buffer));
        return attempt(exchange, chain, 1);
      });
    }

    private Future<GatewayResponse> attempt(Exchange exchange, FilterChain chain, int n) {
      return chain.proceed(exchange).transform(ar -> {
        if (n >= attempts || !retryable(ar)) {
          return done(ar);
        }
        if (!budget.tryRetry()) {
          stats.budgetExhausted.increment();
          return done(ar);
        }
        if (ar.succeeded()) {
          ar.result().body().discard();
        }
        stats.retries.increment();
        Promise<GatewayResponse> next = Promise.promise();
        vertx.setTimer(backoffMillis(n), id -> attempt(exchange, chain, n + 1).onComplete(next));
        return next.future();
      });
    }

    private static Future<GatewayResponse> done(AsyncResult<GatewayResponse> ar) {
      return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause());
    }

    private boolean retryable(AsyncResult<GatewayResponse> ar) {
      if (ar.succeeded()) {
        return onStatus[ar.result().status()];
      }
      if (!(ar.cause() instanceof GatewayException ge)) {
        return false;
      }
      return switch (ge.code()) {
        case "upstream_unreachable" -> onConnectFailure;
        case "upstream_timeout" -> onTimeout;
        default -> false;
      };
    }

    long backoffMillis(int retry) {
      long delay = initialMillis << Math.min(retry - 1, 30);
      if (delay <= 0 || delay > maxMillis) {
        delay = maxMillis;
      }
      if (jitter && delay > 1) {
        long half = delay / 2;
        delay = half + ThreadLocalRandom.current().nextLong(delay - half + 1);
      }
      return Math.max(1, delay);
    }

    /** Reads a body of known, bounded length into memory. */
    private static Future<Buffer> read(ReadStream<Buffer> stream, long length) {
      Promise<Buffer> promise = Promise.promise();
      Buffer buffer = Buffer.buffer((int) length);
      stream.exceptionHandler(promise::tryFail);
      stream.handler(chunk -> {
        if (buffer.length() + chunk.length() > length) {
          promise.tryFail(new GatewayException(400, "bad_request", "Request body longer than its Content-Length"));
          return;
        }
        buffer.appendBuffer(chunk);
      });
      stream.endHandler(v -> promise.tryComplete(buffer));
      stream.resume();
      return promise.future();
    }
  }
}
