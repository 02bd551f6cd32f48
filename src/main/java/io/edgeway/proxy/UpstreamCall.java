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
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;

/**
 * The terminal step of every chain: one attempt against one target chosen by the balancer, on a
 * connection from this loop's pool for that target. The request body streams to the upstream; the
 * response body is handed back as a paused stream, except a small one of announced size, which
 * is read whole first ({@link #BUFFERED_BODY_LIMIT}). Response timeout covers the wait for the
 * status line; once headers arrive the idle timeout guards the body ({@link TimeoutQueue}).
 */
public final class UpstreamCall implements FilterChain {
  /**
   * Set by the retry filter: the response timeout of the next attempt in milliseconds, used
   * instead of the upstream's (internal to the gateway; not part of the plugin SPI).
   */
  public static final AttributeKey<Long> ATTEMPT_TIMEOUT_MILLIS = AttributeKey.of("attempt-timeout-millis", Long.class);

  /**
   * Bodies up to this size with a Content-Length are buffered (bounded memory: at most this much
   * per in-flight request); larger or chunked ones stream with back-pressure.
   */
  static final int BUFFERED_BODY_LIMIT = 16 * 1024;

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
    String query = request.upstreamQuery();
    Long attemptTimeout = ex.get(ATTEMPT_TIMEOUT_MILLIS);
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setURI(query == null ? request.upstreamPath() : request.upstreamPath() + '?' + query)
        .setHeaders(headers);

    long started = System.nanoTime();
    target.requestStarted();
    Body body = request.body();
    // Upgrade survives hop-by-hop stripping only on routes with websocket: true.
    boolean upgrade = headers.contains(HttpHeaders.UPGRADE);
    Upstream.Loop loop = upstream.loop(vertx, ex.loopIndex());
    ConnectionPool pool = loop.pool(target);
    TimeoutQueue responseTimeouts = loop.responseTimeouts(attemptTimeout);
    return pool.acquire()
        .compose(pooled -> pooled.connection.request(options)
            .compose(req -> {
              TimeoutQueue.Timeout timeout = responseTimeouts.start(req);
              return (upgrade ? req.connect() : send(req, body)).andThen(ar -> timeout.cancel());
            })
            .transform(ar -> afterResponseHead(loop, pool, pooled, ar, upgrade)))
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
          HttpClientResponse response = ar.result().response();
          if (response.statusCode() >= 500) {
            monitor.attemptFailed(target);
          } else {
            monitor.attemptSucceeded(target);
          }
          if (upgrade && response.statusCode() == 101) {
            return WebSocketTunnel.open(ex, response);
          }
          return toGatewayResponse(response, ar.result().bodyIdle());
        });
  }

  /**
   * Once the headers arrived, the body is under the idle timeout, and the connection goes back to
   * the pool when the whole response was read. A failed exchange (or a body abandoned half-way,
   * which resets the stream) closes the connection instead; a WebSocket tunnel keeps it until the
   * tunnel ends.
   */
  private static Future<Head> afterResponseHead(
      Upstream.Loop loop, ConnectionPool pool, ConnectionPool.Pooled pooled, AsyncResult<HttpClientResponse> ar,
      boolean upgrade) {
    if (ar.failed()) {
      pooled.connection.close();
      return Future.failedFuture(ar.cause());
    }
    HttpClientResponse response = ar.result();
    if (upgrade && response.statusCode() == 101) {
      return Future.succeededFuture(new Head(response, null));
    }
    TimeoutQueue.Timeout idle = loop.idleTimeouts().start(response.request());
    // Read before the hop-by-hop headers are stripped from this very map.
    boolean reusable = KeepAlive.reusable(response.version(), response.headers());
    pooled.keepAliveNanos = KeepAlive.timeoutNanos(response.headers());
    response.end().onComplete(end -> {
      idle.cancel();
      if (end.succeeded() && reusable) {
        pool.release(pooled);
      } else {
        pooled.connection.close();
      }
    });
    return Future.succeededFuture(new Head(response, idle));
  }

  /** The response headers, and the idle timeout its body is under (none for a WebSocket tunnel). */
  private record Head(HttpClientResponse response, TimeoutQueue.Timeout bodyIdle) {}

  private Future<HttpClientResponse> send(HttpClientRequest req, Body body) {
    if (body.isBuffered()) {
      return body.length() == 0 ? req.send() : req.send(body.buffer());
    }
    return req.send(body.stream());
  }

  private static Future<GatewayResponse> toGatewayResponse(
      HttpClientResponse response, TimeoutQueue.Timeout bodyIdle) {
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
    if (length >= 0 && length <= BUFFERED_BODY_LIMIT) {
      // A small body of announced size is read whole before answering: the client then gets the
      // head and body in one write, and a target that stalls mid-body gets a clean 504.
      int status = response.statusCode();
      return response.body().transform(ar -> ar.succeeded()
          ? Future.succeededFuture(GatewayResponse.of(status, headers, Body.of(ar.result())))
          : Future.failedFuture(UpstreamFailure.classify(ar.cause()).exception()));
    }
    response.pause();
    return Future.succeededFuture(GatewayResponse.of(response.statusCode(), headers,
        Body.stream(new TimedResponseStream(response, bodyIdle), length, () -> response.request().reset())));
  }
}
