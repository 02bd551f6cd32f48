package io.edgeway.proxy;

import static java.util.Objects.requireNonNull;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.http.HopByHopHeaders;
import io.edgeway.spi.AttributeKey;
import io.edgeway.spi.Body;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.GatewayException;
import io.edgeway.spi.GatewayRequest;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;

/**
 * The terminal step of every chain: one attempt against one target chosen by the balancer. The
 * request body streams from the client to the upstream and the response body is handed back as a
 * paused stream, so neither is buffered. Response timeout covers the wait for the status line;
 * once headers arrive the idle timeout guards the body.
 */
public final class UpstreamCall implements FilterChain {
  /**
   * Set by the retry filter: the response timeout of the next attempt in milliseconds, used
   * instead of the upstream's (internal to the gateway; not part of the plugin SPI).
   */
  public static final AttributeKey<Long> ATTEMPT_TIMEOUT_MILLIS = AttributeKey.of("attempt-timeout-millis", Long.class);

  private final Vertx vertx;
  private final Upstream upstream;
  private final boolean preserveHost;

  public UpstreamCall(Vertx vertx, Upstream upstream, boolean preserveHost) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.upstream = requireNonNull(upstream, "upstream");
    this.preserveHost = preserveHost;
  }

  public Upstream upstream() {
    return upstream;
  }

  @Override
  public Future<GatewayResponse> proceed(Exchange exchange) {
    DefaultExchange ex = (DefaultExchange) exchange;
    UpstreamTarget target = upstream.balancer().choose(ex);
    if (target == null) {
      return Future.failedFuture(UpstreamFailure.NO_HEALTHY_TARGET.exception());
    }
    GatewayRequest request = ex.request();
    Integer attempts = ex.get(StandardAttributes.ATTEMPTS);
    ex.put(StandardAttributes.ATTEMPTS, attempts == null ? 1 : attempts + 1);
    ex.put(StandardAttributes.UPSTREAM_TARGET, target.url());

    MultiMap headers = request.headers();
    if (!preserveHost) {
      headers.set(HttpHeaders.HOST, target.hostHeader());
    }
    String query = request.query();
    Long attemptTimeout = ex.get(ATTEMPT_TIMEOUT_MILLIS);
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.ssl())
        .setURI(query == null ? request.upstreamPath() : request.upstreamPath() + '?' + query)
        .setHeaders(headers)
        .setConnectTimeout(upstream.connectTimeoutMillis())
        .setIdleTimeout(attemptTimeout != null ? attemptTimeout : upstream.responseTimeoutMillis());

    long started = System.nanoTime();
    target.requestStarted();
    Body body = request.body();
    // Upgrade survives hop-by-hop stripping only on routes with websocket: true.
    boolean upgrade = headers.contains(HttpHeaders.UPGRADE);
    return upstream.client(vertx, ex.loopIndex())
        .request(options)
        .compose(req -> upgrade ? req.connect() : send(req, body))
        .transform(ar -> {
          target.requestEnded();
          Long spent = ex.get(StandardAttributes.UPSTREAM_NANOS);
          long elapsed = System.nanoTime() - started;
          ex.put(StandardAttributes.UPSTREAM_NANOS, spent == null ? elapsed : spent + elapsed);
          TargetMonitor monitor = upstream.monitor();
          if (ar.failed()) {
            Throwable cause = ar.cause();
            GatewayException failure = cause instanceof GatewayException ge ? ge
                : UpstreamFailure.classify(cause).exception();
            if (failure != UpstreamFailure.BUSY.exception() && failure.status() >= 500) {
              // A saturated local pool, or a client body over the limit (413), says nothing
              // about the target's health.
              monitor.attemptFailed(target);
            }
            return Future.failedFuture(failure);
          }
          HttpClientResponse response = ar.result();
          if (response.statusCode() >= 500) {
            monitor.attemptFailed(target);
          } else {
            monitor.attemptSucceeded(target);
          }
          if (upgrade && response.statusCode() == 101) {
            return WebSocketTunnel.open(ex, response);
          }
          return Future.succeededFuture(toGatewayResponse(response));
        });
  }

  private Future<HttpClientResponse> send(HttpClientRequest req, Body body) {
    if (body.isBuffered()) {
      return body.length() == 0 ? req.send() : req.send(body.buffer());
    }
    return req.send(body.stream());
  }

  private GatewayResponse toGatewayResponse(HttpClientResponse response) {
    response.pause();
    // The response timeout guarded the wait for headers; from now on only idleness matters.
    response.request().idleTimeout(upstream.idleTimeoutMillis());
    MultiMap headers = response.headers();
    HopByHopHeaders.stripResponse(headers);
    String contentLength = headers.get(HttpHeaders.CONTENT_LENGTH);
    long length = -1;
    if (contentLength != null) {
      try {
        length = Long.parseLong(contentLength);
      } catch (NumberFormatException e) {
        length = -1;
      }
    }
    return GatewayResponse.of(response.statusCode(), headers,
        Body.stream(response, length, () -> response.request().reset()));
  }
}
