package io.edgeway.server;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.DefaultGatewayRequest;
import io.edgeway.exchange.ProblemResponses;
import io.edgeway.exchange.RequestSpan;
import io.edgeway.http.BodyFraming;
import io.edgeway.http.CanonicalPath;
import io.edgeway.http.EdgeRejection;
import io.edgeway.http.ForwardedHeaders;
import io.edgeway.http.GrpcStatus;
import io.edgeway.http.HeaderMaps;
import io.edgeway.http.HopByHopHeaders;
import io.edgeway.http.PathCanonicalizer;
import io.edgeway.http.RequestFramingCheck;
import io.edgeway.http.RequestIds;
import io.edgeway.http.TraceContext;
import io.edgeway.proxy.UpstreamCall;
import io.edgeway.proxy.WebSocketTunnel;
import io.edgeway.routing.RouteMatch;
import io.edgeway.runtime.CompiledRoute;
import io.edgeway.runtime.ExchangeObserver;
import io.edgeway.runtime.GatewayRuntime;
import io.edgeway.runtime.RequestTracer;
import io.edgeway.runtime.RouteSnapshot;
import io.edgeway.runtime.SnapshotReferences;
import io.edgeway.spi.AttributeKey;
import io.edgeway.spi.Body;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.GatewayException;
import io.edgeway.spi.GatewayResponse;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.edgeway.spi.StandardAttributes;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import io.vertx.core.streams.WriteStream;
import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one request on its event loop: framing checks, the one canonical path, client IP,
 * request id and trace context, route selection, body limits, the filter chain, and writing the
 * response (streamed) with exactly one completion per request.
 */
final class RequestDispatcher {
  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);
  private static final GatewayException NO_ROUTE = new GatewayException(404, "no_route", "No route matches the request");
  private static final GatewayException INTERNAL =
      new GatewayException(500, "internal_error", "The gateway failed to handle the request");
  // Header names with a cached hash (AsciiString): set/get on every request does not rehash them.
  /** The snapshot a request on a plugin route holds until it completed. */
  private static final AttributeKey<SnapshotReferences> HELD_SNAPSHOT =
      AttributeKey.of("held-snapshot", SnapshotReferences.class);
  private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
  private static final CharSequence TRACEPARENT = HttpHeaders.createOptimized("traceparent");
  private static final GatewayException DEADLINE =
      new GatewayException(504, "deadline_exceeded", "The gRPC deadline (grpc-timeout) passed");
  private static final String GRPC_TIMEOUT = "grpc-timeout";
  /** RST_STREAM CANCEL (RFC 9113 7). */
  private static final long CANCEL = 0x8;
  private static final EdgeRejection MALFORMED = new EdgeRejection(400, "bad_request", "Malformed HTTP request");
  private static final EdgeRejection LINE_TOO_LONG = new EdgeRejection(414, "uri_too_long", "Request line too long");
  private static final EdgeRejection HEADERS_TOO_LARGE =
      new EdgeRejection(431, "headers_too_large", "Request header fields too large");

  /** The {@code Allow} of {@code OPTIONS *}: every method some route may accept. */
  private static final String SERVER_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

  private final Vertx vertx;
  private final GatewayRuntime runtime;
  private final ServerSettings settings;
  private final ListenerSettings listener;
  private final int loopIndex;
  private final Map<io.vertx.core.http.HttpConnection, ConnectionGuard> guards;

  RequestDispatcher(
      Vertx vertx, GatewayRuntime runtime, ServerSettings settings, ListenerSettings listener, int loopIndex,
      Map<io.vertx.core.http.HttpConnection, ConnectionGuard> guards) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.settings = settings;
    this.listener = listener;
    this.loopIndex = loopIndex;
    this.guards = guards;
  }

  void handle(HttpServerRequest req) {
    long start = System.nanoTime();
    MultiMap headers = req.headers();
    boolean http2 = req.version() == HttpVersion.HTTP_2;
    boolean hasBody = http2 ? Http2Requests.mayHaveBody(headers) : hasBody(headers);
    if (hasBody) {
      req.pause();
    }
    ConnectionGuard guard = guardOf(req);
    if (guard.isClosing()) {
      return; // pipelined behind a request the gateway refused: never dispatched
    }
    guard.requestStarted();
    String requestId = headers.get(X_REQUEST_ID);
    if (requestId == null || !RequestIds.isWellFormed(requestId)) {
      requestId = RequestIds.generate();
    }
    TraceContext trace = TraceContext.fromHeader(headers.get(TRACEPARENT));

    EdgeRejection framing = settings.framingCheck().check(req.version(), req.method().name(), req.uri(), headers);
    if (framing != null) {
      reject(req, guard, newExchange(req, requestId, trace, null, null, null, start), framing);
      return;
    }
    // Upstreams that treat '_' and '-' alike could be fooled by X_User_Id next to X-User-Id (D5).
    RequestFramingCheck.dropUnderscoreHeaders(headers);
    if (http2) {
      // From here on an HTTP/2 request looks like an HTTP/1.1 one: Host from :authority (RFC 9113
      // 8.3.1), for filters, Forwarded and an HTTP/1.1 upstream alike.
      Http2Requests.normalize(headers, req.authority());
    }
    if (req.method() == HttpMethod.OPTIONS && "*".equals(req.uri())) {
      // OPTIONS * asks about the server itself (RFC 9110 9.3.7), as load-balancer health checks
      // do: the gateway answers, nothing is routed.
      DefaultExchange ex = newExchange(req, requestId, trace, null, "*", hostOf(req.authority()), start);
      respond(req, guard, ex, null, GatewayResponse.of(200, MultiMap.caseInsensitiveMultiMap().add("Allow", SERVER_METHODS),
          Body.empty()), null, hasBody);
      return;
    }
    if (listener.redirectToHttps()) {
      // After OPTIONS *, which load balancers use to probe the listener itself.
      redirectToHttps(req, guard, newExchange(req, requestId, trace, null, null, hostOf(req.authority()), start),
          hasBody);
      return;
    }
    CanonicalPath canonical = PathCanonicalizer.canonicalize(req.path());
    if (!canonical.isValid()) {
      reject(req, guard, newExchange(req, requestId, trace, null, null, null, start), canonical.rejection());
      return;
    }
    String path = canonical.path();
    String host = hostOf(req.authority());
    HttpMethod method = req.method();
    String matchMethod = method.name();
    if (method == HttpMethod.OPTIONS && headers.contains("Origin")) {
      // A CORS preflight is routed as the method it asks about, so the route's cors filter answers it.
      String requested = headers.get("Access-Control-Request-Method");
      if (requested != null) {
        matchMethod = requested;
      }
    }

    RouteSnapshot snapshot = runtime.snapshot();
    RouteMatch<CompiledRoute> match = snapshot.table().match(matchMethod, host, path, headers::get);
    // A request running plugin code holds its snapshot, so the plugin's class loader stays open until
    // it ends. Entering fails only if that snapshot was retired and drained since it was read: the
    // newer one then serves.
    while (match instanceof RouteMatch.Found<CompiledRoute> f && f.route().payload().pluginCode()
        && !snapshot.references().tryAcquire()) {
      snapshot = runtime.snapshot();
      match = snapshot.table().match(matchMethod, host, path, headers::get);
    }
    if (!(match instanceof RouteMatch.Found<CompiledRoute> found)) {
      DefaultExchange ex = newExchange(req, requestId, trace, null, path, host, start);
      if (match instanceof RouteMatch.MethodNotAllowed<CompiledRoute> notAllowed) {
        GatewayException e = new GatewayException(405, "method_not_allowed", "Method not allowed on this route",
            Map.of("Allow", notAllowed.allowHeader()));
        respond(req, guard, ex, null, ProblemResponses.render(e, null, requestId), e.code(), hasBody);
      } else {
        respond(req, guard, ex, null, ProblemResponses.render(NO_ROUTE, null, requestId), NO_ROUTE.code(), hasBody);
      }
      return;
    }
    CompiledRoute route = found.route().payload();

    long contentLength = contentLength(headers);
    if (contentLength > route.maxBodyBytes()) {
      if (route.pluginCode()) {
        snapshot.references().release(); // no filter runs for this request
      }
      DefaultExchange ex = newExchange(req, requestId, trace, route.id(), path, host, start);
      reject(req, guard, ex, BodyFailure.TOO_LARGE.rejection());
      return;
    }

    String peer = peerOf(req);
    String clientIp = settings.clientIpResolver().resolve(peer, headers);
    // The only TE an HTTP/2 upstream may get (gRPC needs it); hop-by-hop for everyone else (C2).
    boolean teTrailers = Http2Requests.asksForTrailers(headers);
    boolean upgrade = !http2 && route.websocket() && "websocket".equalsIgnoreCase(headers.get(HttpHeaders.UPGRADE));
    if (upgrade) {
      HopByHopHeaders.stripWebSocketRequest(headers);
    } else {
      HopByHopHeaders.stripRequest(headers);
    }
    boolean expectContinue = "100-continue".equalsIgnoreCase(headers.get(HttpHeaders.EXPECT));
    headers.remove(HttpHeaders.EXPECT);
    String scheme = req.scheme() == null ? "http" : req.scheme();
    HostAndPort authority = req.authority();
    ForwardedHeaders.apply(headers, clientIp, peer, settings.clientIpResolver().isTrustedPeer(peer), scheme,
        authority == null ? host : authority.toString());
    String upstreamTraceparent = trace.childTraceparent();
    headers.set(X_REQUEST_ID, requestId);
    headers.set(TRACEPARENT, upstreamTraceparent);

    RequestBodyStream bodyStream = null;
    Body body = Body.empty();
    if (hasBody) {
      bodyStream = new RequestBodyStream(req, route.maxBodyBytes(), expectContinue, guard, route.requestBodyTimeoutNanos());
      body = Body.stream(bodyStream, contentLength, null);
    }
    boolean grpc = GrpcStatus.isGrpc(headers);
    Map<String, String> params = found.params().asMap();
    DefaultGatewayRequest request = new DefaultGatewayRequest(method, path, found.upstreamPath(path),
        req.query(), host, scheme, clientIp, params, headers, body);
    DefaultExchange ex = traced(new DefaultExchange(requestId, trace.traceId(), upstreamTraceparent, route.id(), request,
        req, loopIndex, start), trace);
    if (route.pluginCode()) {
      ex.put(HELD_SNAPSHOT, snapshot.references());
    }
    if (listener.clientCertificates()) {
      List<X509Certificate> certificates = clientCertificates(req);
      if (certificates != null) {
        ex.put(StandardAttributes.CLIENT_CERTIFICATES, certificates);
      }
    }
    if (teTrailers) {
      ex.put(UpstreamCall.TE_TRAILERS, Boolean.TRUE);
    }
    if (grpc) {
      startGrpcDeadline(req, guard, ex, headers.get(GRPC_TIMEOUT));
    }
    RequestBodyStream finalBody = bodyStream;
    if (bodyStream != null && !http2) {
      bodyStream.onMalformed(() -> rejectMalformedBody(req, guard, ex, finalBody));
    }
    route.chain().proceed(ex).onComplete(ar -> onChainDone(req, guard, ex, finalBody, ar));
  }

  /**
   * Requests the HTTP decoder could not parse (request line or headers too long, malformed
   * syntax): a problem+json answer, the connection closed, and — like every request — one
   * completed exchange for the access log and events.
   */
  void handleInvalid(HttpServerRequest req) {
    long start = System.nanoTime();
    Throwable cause = req.decoderResult().cause();
    EdgeRejection rejection = MALFORMED;
    if (cause instanceof TooLongHttpLineException) {
      rejection = LINE_TOO_LONG;
    } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      rejection = HEADERS_TOO_LARGE;
    }
    ConnectionGuard guard = guardOf(req);
    if (guard.isClosing()) {
      return;
    }
    guard.requestStarted();
    reject(req, guard, newExchange(req, RequestIds.generate(), TraceContext.fromHeader(null), null, null, null, start),
        rejection);
  }

  /**
   * The body's chunked framing broke (bad chunk size, missing CRLF): Vert.x closes the connection
   * right after this runs, so the 400 is written now, while it is still open; unless the client
   * already has (part of) an answer, in which case the close is all that is left.
   */
  private void rejectMalformedBody(HttpServerRequest req, ConnectionGuard guard, DefaultExchange ex,
      RequestBodyStream body) {
    if (!ex.isCompleted() && !req.response().headWritten()) {
      reject(req, guard, ex, body, BodyFailure.MALFORMED.rejection());
    }
  }

  private void onChainDone(
      HttpServerRequest req, ConnectionGuard guard, DefaultExchange ex, RequestBodyStream body,
      AsyncResult<GatewayResponse> ar) {
    GatewayResponse response;
    String errorCode = null;
    BodyFailure bodyFailure = body == null ? null : body.failure();
    if (bodyFailure != null) {
      // The client's body failed (the upstream request, if any, was reset): whatever the chain
      // produced, the answer is the body's failure, and the connection closes.
      if (ar.succeeded()) {
        ar.result().body().discard();
      }
      reject(req, guard, ex, body, bodyFailure.rejection());
      return;
    }
    if (ar.succeeded() && Boolean.TRUE.equals(ex.get(WebSocketTunnel.TUNNELLED))) {
      // The connection is a tunnel now; the exchange is over as far as HTTP is concerned.
      finish(ex, 101, null, body, req.response(), false);
      return;
    }
    if (ar.succeeded()) {
      response = ar.result();
      errorCode = ex.problemCode(response);
    } else {
      GatewayException e;
      if (ar.cause() instanceof GatewayException ge) {
        e = ge;
      } else {
        log.error("route {} request {}: filter chain failed", ex.routeId(), ex.requestId(), ar.cause());
        e = INTERNAL;
      }
      errorCode = e.code();
      response = ProblemResponses.render(e, ex.routeId(), ex.requestId());
    }
    respond(req, guard, ex, body, response, errorCode, body != null && !req.isEnded());
  }

  private void reject(HttpServerRequest req, ConnectionGuard guard, DefaultExchange ex, EdgeRejection rejection) {
    reject(req, guard, ex, null, rejection);
  }

  /** {@code body}: the request body stream, when part of it was read (its bytes count as bytes in). */
  private void reject(
      HttpServerRequest req, ConnectionGuard guard, DefaultExchange ex, RequestBodyStream body,
      EdgeRejection rejection) {
    GatewayResponse response = ProblemResponses.render(rejection.status(), rejection.code(), rejection.title(),
        ex.routeId(), ex.requestId());
    respond(req, guard, ex, body, response, rejection.code(), true);
  }

  /**
   * Writes the response. When the request body was not (fully) read, the connection cannot be
   * reused safely: it is closed after the response.
   */
  private void respond(
      HttpServerRequest req, ConnectionGuard guard, DefaultExchange ex, RequestBodyStream bodyStream,
      GatewayResponse response, String errorCode, boolean closeAfter) {
    HttpServerResponse out = req.response();
    boolean http2 = req.version() == HttpVersion.HTTP_2;
    if (errorCode != null && GrpcStatus.isGrpc(req.headers())) {
      response = GrpcStatus.fromProblem(response, errorCode);
    }
    Body body = response.body();
    if (closeAfter && !http2) {
      guard.markClosing();
    }
    if (out.ended() || out.closed()) {
      body.discard();
      finish(ex, response.status(), errorCode, bodyStream, out, true);
      return;
    }
    if (out.headWritten()) {
      // Part of an answer is out already (an early upstream response whose client body then
      // failed): nothing but the close can follow.
      body.discard();
      finish(ex, response.status(), errorCode, bodyStream, out, true);
      if (http2) {
        out.reset(CANCEL); // the stream, not the other streams of the connection
      } else {
        req.connection().close();
      }
      return;
    }
    out.setStatusCode(response.status());
    MultiMap outHeaders = out.headers();
    HeaderMaps.addAll(response.headers(), outHeaders);
    outHeaders.set(X_REQUEST_ID, ex.requestId());
    if (closeAfter && !http2) {
      outHeaders.set(HttpHeaders.CONNECTION, "close");
    }
    int status = response.status();
    // Both handlers run for an HTTP/2 stream that ends normally; the request is done once.
    boolean[] requestDone = new boolean[1];
    Runnable awaitNext = () -> {
      if (!requestDone[0]) {
        requestDone[0] = true;
        guard.awaitNextRequest(nextHeadersDeadline());
      }
    };
    out.closeHandler(v -> {
      if (http2) {
        // With trailers, Vert.x closes the stream (END_STREAM on them) before it runs the end
        // handler, and never marks the response ended: a completed exchange must not look aborted.
        vertx.runOnContext(later -> finish(ex, status, errorCode, bodyStream, out, true));
        awaitNext.run();
      } else {
        finish(ex, status, errorCode, bodyStream, out, true);
      }
    });
    out.endHandler(v -> {
      finish(ex, status, errorCode, bodyStream, out, false);
      if (closeAfter && http2) {
        // An unread body ends its stream, not the connection: read and dropped within the body
        // limits, or reset past them (RFC 9113 8.1).
        discardUnreadBody(req, bodyStream);
      } else if (closeAfter) {
        req.connection().close();
      }
      if (!closeAfter || http2) {
        awaitNext.run();
      }
    });
    boolean bodyAllowed = bodyAllowed(req.method(), response.status());
    if (bodyAllowed) {
      // HEAD, 204 and 304 keep the upstream's Content-Length: it describes a body not sent.
      BodyFraming.apply(outHeaders, body);
    }
    if (body.isBuffered()) {
      if (body.length() == 0) {
        out.end(); // on HTTP/2 one HEADERS frame with END_STREAM: gRPC's trailers-only answer
      } else {
        out.end(body.buffer());
      }
      return;
    }
    if (body.length() < 0 && req.version() != HttpVersion.HTTP_1_0 && bodyAllowed) {
      out.setChunked(true);
    }
    // Trailers (gRPC's grpc-status) go out only where they can: HTTP/2 or a chunked HTTP/1.1 body.
    WriteStream<Buffer> destination = http2 || out.isChunked() ? ResponseTrailers.relayTo(ex, body, out) : out;
    BodyFraming.pipe(body, destination).onFailure(t -> {
      // Never let a truncated body look complete: abort the client connection, and release the
      // source (a client that went away resets the upstream response instead of leaving it idle).
      log.debug("route {} request {}: response body aborted: {}", ex.routeId(), ex.requestId(), t.toString());
      body.discard();
      out.reset();
    });
  }

  private long nextHeadersDeadline() {
    return System.nanoTime() + settings.keepAliveIdleNanos() + settings.headerReadTimeoutNanos();
  }

  /**
   * Reads and drops what the client still sends on an answered HTTP/2 stream, up to the body
   * limit (then RST_STREAM CANCEL). Draining rather than resetting matters: most requests get
   * here with nothing left but their END_STREAM (an HTTP/2 GET answered 404 is one), and every
   * reset the gateway sends counts towards the client's rapid-reset budget.
   */
  private void discardUnreadBody(HttpServerRequest req, RequestBodyStream body) {
    if (req.isEnded()) {
      return;
    }
    if (body != null) {
      body.drain(() -> req.response().reset(CANCEL));
      return;
    }
    long limit = settings.defaultMaxBodyBytes();
    long[] seen = new long[1];
    req.exceptionHandler(t -> { });
    req.handler(chunk -> {
      seen[0] += chunk.length();
      if (seen[0] > limit) {
        req.handler(null);
        req.response().reset(CANCEL);
      }
    });
    req.resume();
  }

  /**
   * gRPC's deadline ({@code grpc-timeout}) bounds the whole call at the gateway too: past it, a
   * call not answered yet gets DEADLINE_EXCEEDED, one streaming its answer is cancelled. The
   * header itself travels on, so the service knows its deadline. One timer per call with a
   * deadline: gRPC deadlines differ per call, so they do not share a {@code TimeoutQueue}.
   */
  private void startGrpcDeadline(HttpServerRequest req, ConnectionGuard guard, DefaultExchange ex, String header) {
    long millis = GrpcStatus.timeoutMillis(header);
    if (millis < 0) {
      return;
    }
    long timer = vertx.setTimer(Math.max(1, millis), id -> {
      if (ex.isCompleted()) {
        return;
      }
      HttpServerResponse out = req.response();
      if (out.headWritten()) {
        out.reset(CANCEL);
      } else {
        respond(req, guard, ex, null, ProblemResponses.render(DEADLINE, ex.routeId(), ex.requestId()), DEADLINE.code(),
            !req.isEnded());
      }
    });
    ex.onComplete(outcome -> vertx.cancelTimer(timer));
  }

  private void finish(
      DefaultExchange ex, int status, String errorCode, RequestBodyStream body, HttpServerResponse out,
      boolean aborted) {
    if (ex.isCompleted()) {
      return; // answered already (a malformed body): exactly one outcome per exchange
    }
    long bytesIn = body == null ? 0 : body.bytesReceived();
    ExchangeOutcome outcome = new ExchangeOutcome(status, errorCode, bytesIn, out.bytesWritten(),
        System.nanoTime() - ex.startNanos(), aborted && !out.ended());
    ex.complete(outcome);
    for (ExchangeObserver observer : runtime.observers()) {
      try {
        observer.completed(ex, outcome);
      } catch (RuntimeException e) {
        log.error("exchange observer failed", e);
      }
    }
    SnapshotReferences held = ex.get(HELD_SNAPSHOT);
    if (held != null) {
      held.release(); // after the filters' completion callbacks, which may be plugin code too
    }
  }

  /**
   * 308 to the same host, path and query on the first TLS listener (a permanent redirect that
   * keeps the method and body, unlike 301). The host is the one the request named, already checked
   * by the framing check; the port is left out when it is 443.
   */
  private void redirectToHttps(HttpServerRequest req, ConnectionGuard guard, DefaultExchange ex, boolean hasBody) {
    String host = hostOf(req.authority());
    if (host.isEmpty()) {
      reject(req, guard, ex, MALFORMED);
      return;
    }
    int port = listener.httpsPort().getAsInt();
    StringBuilder location = new StringBuilder("https://");
    location.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host);
    if (port != 443) {
      location.append(':').append(port);
    }
    location.append(req.path());
    if (req.query() != null) {
      location.append('?').append(req.query());
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.LOCATION, location.toString());
    respond(req, guard, ex, null, GatewayResponse.of(308, headers, Body.empty()), null, hasBody);
  }

  /**
   * The address the request came from: the socket peer, or on a PROXY-protocol listener the
   * address the PROXY header carries, but only when the real peer (the load balancer) is a trusted
   * proxy; anyone else's header is ignored.
   */
  private String peerOf(HttpServerRequest req) {
    if (listener.proxyProtocol()) {
      String real = peerAddress(req.connection().remoteAddress(true));
      if (!settings.clientIpResolver().isTrustedPeer(real)) {
        return real;
      }
    }
    return peerAddress(req.remoteAddress());
  }

  /** The verified client chain, or null when the client sent none. */
  private static List<X509Certificate> clientCertificates(HttpServerRequest req) {
    if (!req.isSSL()) {
      return null;
    }
    try {
      List<Certificate> chain = req.connection().peerCertificates();
      if (chain == null || chain.isEmpty()) {
        return null;
      }
      List<X509Certificate> x509 = new ArrayList<>(chain.size());
      for (Certificate c : chain) {
        if (c instanceof X509Certificate x) {
          x509.add(x);
        }
      }
      return x509.isEmpty() ? null : List.copyOf(x509);
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private DefaultExchange newExchange(
      HttpServerRequest req, String requestId, TraceContext trace, String routeId, String path, String host,
      long start) {
    String peer = peerOf(req);
    DefaultGatewayRequest request = new DefaultGatewayRequest(req.method(), path, path, req.query(), host,
        req.scheme(), settings.clientIpResolver().resolve(peer, req.headers()), Map.of(), req.headers(), Body.empty());
    return traced(new DefaultExchange(requestId, trace.traceId(), trace.childTraceparent(), routeId, request, req,
        loopIndex, start), trace);
  }

  /**
   * Starts the request's SERVER span when a tracer is installed and samples it; the tracing
   * module's observer ends it. Without a tracer: one volatile read, no span object.
   */
  private DefaultExchange traced(DefaultExchange ex, TraceContext trace) {
    RequestTracer tracer = runtime.tracer();
    if (tracer != RequestTracer.NONE) {
      RequestSpan span = tracer.start(ex, trace);
      if (span != null) {
        ex.put(RequestSpan.KEY, span);
      }
    }
    return ex;
  }

  /** The connection's guard; a throwaway one when the sweeper already dropped it (closing anyway). */
  private ConnectionGuard guardOf(HttpServerRequest req) {
    ConnectionGuard guard = guards.get(req.connection());
    return guard != null ? guard : new ConnectionGuard(req.connection(), 0);
  }

  private static boolean hasBody(MultiMap headers) {
    if (headers.contains(HttpHeaders.TRANSFER_ENCODING)) {
      return true;
    }
    String cl = headers.get(HttpHeaders.CONTENT_LENGTH);
    return cl != null && !cl.equals("0");
  }

  private static long contentLength(MultiMap headers) {
    String cl = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (cl == null) {
      return -1;
    }
    try {
      return Long.parseLong(cl);
    } catch (NumberFormatException e) {
      return -1; // the framing check already rejected malformed values
    }
  }

  private static boolean bodyAllowed(HttpMethod method, int status) {
    return method != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }

  private static String hostOf(HostAndPort authority) {
    if (authority == null) {
      return "";
    }
    String h = authority.host();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.toLowerCase(Locale.ROOT);
  }

  static String peerAddress(SocketAddress address) {
    if (address == null) {
      return "";
    }
    String host = address.hostAddress();
    return host != null ? host : address.host();
  }
}
