package io.edgeway.proxy;

import static java.util.Objects.requireNonNull;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.RequestSpan;
import io.edgeway.exchange.SpanHandle;
import io.edgeway.http.BodyFraming;
import io.edgeway.http.HeaderMaps;
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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.streams.WriteStream;

/**
 * The terminal step of every chain: one attempt against one target chosen by the balancer, on a
 * connection from this loop's pool for that target. The request body streams to the upstream, with
 * framing derived from the body ({@link BodyFraming}), and the request ends only when the client's
 * body ended correctly. The response body is handed back as a paused stream, except a small one
 * of announced size, which is read whole first ({@link #BUFFERED_BODY_LIMIT}). The response
 * timeout runs from the end of the request to the status line; once headers arrive the idle
 * timeout guards the body ({@link TimeoutQueue}).
 */
public final class UpstreamCall implements FilterChain {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UpstreamCall.class);
  /**
   * Set by the retry filter: the response timeout of the next attempt in milliseconds, used
   * instead of the upstream's (internal to the gateway; not part of the plugin SPI).
   */
  public static final AttributeKey<Long> ATTEMPT_TIMEOUT_MILLIS = AttributeKey.of("attempt-timeout-millis", Long.class);

  /**
   * Set by the dispatcher when the client sent {@code te: trailers}: an HTTP/2 upstream gets it
   * again (gRPC requires it); an HTTP/1.1 upstream never sees TE (hop-by-hop, security.md C2).
   */
  public static final AttributeKey<Boolean> TE_TRAILERS = AttributeKey.of("te-trailers", Boolean.class);

  /** The trailers of the upstream response whose body is {@code body}, filled when that body ends. */
  public record Trailers(Body body, MultiMap headers) {}

  /** Set on a streamed upstream response: its trailers, for the dispatcher to relay after the body. */
  public static final AttributeKey<Trailers> RESPONSE_TRAILERS = AttributeKey.of("response-trailers", Trailers.class);

  /**
   * Bodies up to this size with a Content-Length are buffered (bounded memory: at most this much
   * per in-flight request); larger or chunked ones stream with back-pressure.
   */
  static final int BUFFERED_BODY_LIMIT = 16 * 1024;

  private static final CharSequence TRACEPARENT = HttpHeaders.createOptimized("traceparent");
  private static final CharSequence TE = HttpHeaders.createOptimized("te");
  /** RST_STREAM CANCEL on HTTP/2; on HTTP/1.1 any reset closes the connection. */
  private static final long CANCEL = 0x8;
  private static final CharSequence TRAILERS = HttpHeaders.createOptimized("trailers");

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
    int attempt = attempts == null ? 1 : attempts + 1;
    ex.put(StandardAttributes.ATTEMPTS, attempt);
    ex.put(StandardAttributes.UPSTREAM_TARGET, target.url());

    MultiMap headers = request.headers();
    boolean http2 = upstream.http2();
    HostAndPort authority = null;
    if (!preserveHost) {
      headers.set(HttpHeaders.HOST, target.hostHeader());
    }
    SpanHandle span = attemptSpan(ex, request, target, attempt, headers);
    if (http2) {
      // :authority carries the host in HTTP/2. Vert.x also sends the Host header as a field; it
      // names the same authority, which RFC 9113 8.3.1 allows (and it survives for a retry).
      String host = headers.get(HttpHeaders.HOST);
      authority = host == null ? null : HostAndPort.parseAuthority(host, -1);
      if (Boolean.TRUE.equals(ex.get(TE_TRAILERS))) {
        headers.set(TE, TRAILERS);
      }
    }
    String query = request.upstreamQuery();
    Long attemptTimeout = ex.get(ATTEMPT_TIMEOUT_MILLIS);
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setURI(query == null ? request.upstreamPath() : request.upstreamPath() + '?' + query);

    long started = System.nanoTime();
    target.requestStarted();
    Body body = request.body();
    // Upgrade survives hop-by-hop stripping only on routes with websocket: true.
    boolean upgrade = headers.contains(HttpHeaders.UPGRADE);
    if (!upgrade) {
      BodyFraming.apply(headers, body);
    }
    Upstream.Loop loop = upstream.loop(vertx, ex.loopIndex());
    TargetPool pool = loop.pool(target);
    TimeoutQueue responseTimeouts = loop.responseTimeouts(attemptTimeout);
    HostAndPort requestAuthority = authority;
    return pool.acquire()
        .compose(pooled -> pooled.connection.request(options)
            .transform(ar -> {
              if (ar.failed()) {
                return closeAndFail(pool, pooled, ar.cause());
              }
              // Copied here rather than named in the options, which Vert.x copies as Strings.
              try {
                HeaderMaps.addAll(headers, ar.result().headers());
              } catch (RuntimeException refused) {
                // A header Vert.x's validator refuses: nothing went out, and the connection goes
                // rather than back to the pool with a half-made request on it.
                ar.result().reset();
                return closeAndFail(pool, pooled, refused);
              }
              if (requestAuthority != null) {
                ar.result().authority(requestAuthority);
              }
              if (upstream.http2()) {
                cancelWhenAbandoned(ex, ar.result());
              }
              return exchange(loop, pool, pooled, ar.result(), body, upgrade, responseTimeouts);
            }))
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
            if (failure == UpstreamFailure.TLS.exception()) {
              // The client sees only upstream_tls; the operator needs the reason.
              log.warn("route {} request {}: TLS with {} failed: {}", ex.routeId(), ex.requestId(), target,
                  String.valueOf(UpstreamFailure.tlsCause(cause)));
            }
            span.end(failure.code());
            if (failure != UpstreamFailure.BUSY.exception() && failure.status() >= 500) {
              // A saturated local pool, or a client body that failed (4xx), says nothing
              // about the target's health.
              monitor.attemptFailed(target);
            }
            return Future.failedFuture(failure);
          }
          HttpClientResponse response = ar.result().response();
          span.attribute("http.response.status_code", response.statusCode());
          span.end(response.statusCode() >= 400 ? Integer.toString(response.statusCode()) : null);
          if (response.statusCode() >= 500) {
            monitor.attemptFailed(target);
          } else {
            monitor.attemptSucceeded(target);
          }
          if (upgrade && response.statusCode() == 101) {
            return WebSocketTunnel.open(ex, response);
          }
          return toGatewayResponse(ex, response, ar.result().bodyIdle());
        });
  }

  /**
   * The CLIENT span of this attempt when the request is traced: the upstream gets a
   * {@code traceparent} naming it (replacing the one the dispatcher set, or a previous attempt's),
   * so each attempt, retries included, is the parent of what the upstream records.
   */
  private static SpanHandle attemptSpan(
      DefaultExchange ex, GatewayRequest request, UpstreamTarget target, int attempt, MultiMap headers) {
    RequestSpan traced = ex.get(RequestSpan.KEY);
    if (traced == null) {
      return SpanHandle.NONE;
    }
    SpanHandle span = traced.startUpstreamAttempt(request.method().name(), target.url(), target.host(), target.port(),
        request.upstreamPath(), attempt);
    headers.set(TRACEPARENT, span.traceparent());
    return span;
  }

  /**
   * When the client goes away, or the gateway answers without waiting any longer (a gRPC
   * deadline), the upstream request is reset at once rather than left to run into its own
   * timeout: a cancelled call reaches the service as a cancellation. Not for an exchange already
   * over (a background refresh runs on one), and harmless when the upstream stream is complete.
   * HTTP/2 upstreams only: on HTTP/1.1 a reset closes the connection, which may be back in the
   * pool serving another exchange by then.
   */
  private static void cancelWhenAbandoned(DefaultExchange ex, HttpClientRequest req) {
    if (ex.isCompleted()) {
      return;
    }
    ex.onComplete(outcome -> {
      if (outcome.clientAborted() || outcome.errorCode() != null) {
        req.reset(CANCEL);
      }
    });
  }

  private static <T> Future<T> closeAndFail(TargetPool pool, ConnectionPool.Pooled pooled, Throwable cause) {
    pool.discard(pooled);
    return Future.failedFuture(cause);
  }

  /**
   * Sends the request and waits for the response head. The response timeout runs from the moment
   * the whole request was handed to the connection (nginx's {@code proxy_read_timeout} model): a
   * slow upload is bounded by the client-side body deadlines, not charged to the upstream. When
   * the client's body fails, the request is reset, never ended, and the exchange fails with the
   * body's own (4xx) error.
   */
  private static Future<Head> exchange(
      Upstream.Loop loop, TargetPool pool, ConnectionPool.Pooled pooled, HttpClientRequest req, Body body,
      boolean upgrade, TimeoutQueue responseTimeouts) {
    if (upgrade) {
      TimeoutQueue.Timeout timeout = responseTimeouts.start(req);
      return req.connect()
          .andThen(ar -> timeout.cancel())
          .transform(ar -> afterResponseHead(loop, pool, pooled, ar, Future.succeededFuture(), true));
    }
    // Every failure reaches the exchange through the response future; without a handler Vert.x
    // would also log a reset (a client body that failed) as an error.
    req.exceptionHandler(UpstreamCall::handledThroughResponse);
    ResponseWait wait = new ResponseWait(req, send(req, body), responseTimeouts);
    return wait.head().transform(ar -> afterResponseHead(loop, pool, pooled, ar, wait.sent, false));
  }

  private static void handledThroughResponse(Throwable failure) {}

  /** Writes the body: whole and ended, or reset (never ended) when it fails. */
  private static Future<Void> send(HttpClientRequest req, Body body) {
    if (body.isBuffered()) {
      return body.length() == 0 ? req.end() : req.end(body.buffer());
    }
    // Unknown length: chunked only once a first byte is there, so a request whose body stream
    // ends empty (an HTTP/2 GET) reaches an HTTP/1.1 upstream without a body.
    WriteStream<Buffer> destination = body.length() < 0 ? new ChunkedOnFirstWrite(req) : req;
    return BodyFraming.pipe(body, destination).onFailure(cause -> req.reset(0, cause));
  }

  /** The wait for one response head: the response timeout starts once the request was sent. */
  private static final class ResponseWait {
    private final HttpClientRequest request;
    private final Future<Void> sent;
    private TimeoutQueue.Timeout timeout;

    ResponseWait(HttpClientRequest request, Future<Void> sent, TimeoutQueue responseTimeouts) {
      this.request = request;
      this.sent = sent;
      sent.onSuccess(v -> {
        if (!request.response().isComplete()) {
          timeout = responseTimeouts.start(request);
        }
      });
    }

    Future<HttpClientResponse> head() {
      return request.response()
          .andThen(ar -> {
            if (timeout != null) {
              timeout.cancel();
            }
          })
          .recover(cause -> Future.failedFuture(
              sent.failed() && sent.cause() instanceof GatewayException bodyFailure ? bodyFailure : cause));
    }
  }

  /**
   * Once the headers arrived, the body is under the idle timeout, and the connection goes back to
   * the pool when the whole response was read and the whole request was sent. A failed exchange,
   * an invalid status, or a body abandoned half-way (which resets the stream) closes the
   * connection instead; a WebSocket tunnel keeps it until the tunnel ends.
   */
  private static Future<Head> afterResponseHead(
      Upstream.Loop loop, TargetPool pool, ConnectionPool.Pooled pooled, AsyncResult<HttpClientResponse> ar,
      Future<Void> sent, boolean upgrade) {
    if (ar.failed()) {
      return closeAndFail(pool, pooled, ar.cause());
    }
    HttpClientResponse response = ar.result();
    int status = response.statusCode();
    if (upgrade && status == 101) {
      return Future.succeededFuture(new Head(response, null));
    }
    if (status < 200 || status > 599) {
      // A 1xx left over (101 to a request that asked for no upgrade) or a status outside HTTP's
      // range: nothing a client could be given, and nothing the connection can be trusted after.
      return closeAndFail(pool, pooled, UpstreamFailure.BAD_RESPONSE.exception());
    }
    TimeoutQueue.Timeout idle = loop.idleTimeouts().start(response.request());
    // Read before the hop-by-hop headers are stripped from this very map.
    boolean reusable = KeepAlive.reusable(response.version(), response.headers());
    pooled.keepAliveNanos = KeepAlive.timeoutNanos(response.headers());
    response.end().onComplete(end -> {
      idle.cancel();
      // An early response (before the whole request was sent) frees the connection only once
      // the request is complete too.
      sent.onComplete(request -> {
        if (end.succeeded() && request.succeeded() && reusable) {
          pool.release(pooled);
        } else {
          pool.discard(pooled);
        }
      });
    });
    return Future.succeededFuture(new Head(response, idle));
  }

  /** The response headers, and the idle timeout its body is under (none for a WebSocket tunnel). */
  private record Head(HttpClientResponse response, TimeoutQueue.Timeout bodyIdle) {}

  private static Future<GatewayResponse> toGatewayResponse(
      DefaultExchange ex, HttpClientResponse response, TimeoutQueue.Timeout bodyIdle) {
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
    Body body = Body.stream(new TimedResponseStream(response, bodyIdle), length, () -> response.request().reset());
    ex.put(RESPONSE_TRAILERS, new Trailers(body, response.trailers()));
    return Future.succeededFuture(GatewayResponse.of(response.statusCode(), headers, body));
  }
}
