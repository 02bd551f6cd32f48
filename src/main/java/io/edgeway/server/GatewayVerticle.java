package io.edgeway.server;

import io.edgeway.runtime.GatewayRuntime;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance per event loop, all listening on the same port (Vert.x balances connections
 * between them). Owns the connection guards of its loop; everything it touches per request is
 * confined to its loop.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final AtomicInteger NEXT_INDEX = new AtomicInteger();

  private final GatewayRuntime runtime;
  private final ServerSettings settings;
  private final AtomicInteger openConnections;
  private final int loopIndex;
  private final Map<HttpConnection, ConnectionGuard> guards = new HashMap<>();
  private HttpServer server;
  private long sweeper;

  /**
   * @param loopIndex this instance's index, 0..instances-1 (selects its upstream clients)
   * @param openConnections the process-wide connection count, shared by all instances
   */
  public GatewayVerticle(GatewayRuntime runtime, ServerSettings settings, int loopIndex, AtomicInteger openConnections) {
    this.runtime = runtime;
    this.settings = settings;
    this.loopIndex = loopIndex;
    this.openConnections = openConnections;
  }

  static int nextIndex() {
    return NEXT_INDEX.getAndIncrement();
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(settings.host())
        .setPort(settings.port())
        .setMaxInitialLineLength(settings.maxRequestLine())
        .setMaxHeaderSize(settings.maxHeaderSize())
        .setIdleTimeout((int) TimeUnit.NANOSECONDS.toSeconds(settings.keepAliveIdleNanos()))
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setHandle100ContinueAutomatically(false)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setTcpNoDelay(true)
        .setHttp2ClearTextEnabled(settings.http2().enabled())
        // WebSockets are tunnelled byte for byte: the client and the target negotiate extensions
        // themselves. Vert.x's extension handler would only sit in every request's pipeline.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    if (settings.http2().enabled()) {
      Http2Listener.configure(options, settings.http2());
    }
    RequestDispatcher dispatcher = new RequestDispatcher(vertx, runtime, settings, loopIndex, guards);
    server = vertx.createHttpServer(options)
        .connectionHandler(this::onConnection)
        .invalidRequestHandler(dispatcher::handleInvalid)
        .requestHandler(dispatcher::handle);
    sweeper = vertx.setPeriodic(sweepPeriodMillis(settings), id -> sweep());
    return server.listen();
  }

  /**
   * How often the deadlines are checked: an eighth of the shortest client deadline, between
   * 100 ms and 1 s, so a deadline is enforced within about 12 % of its value and the sweep of
   * every connection stays rare (the defaults, 10 s and 30 s, sweep once a second).
   */
  static long sweepPeriodMillis(ServerSettings settings) {
    long shortest = Math.min(settings.headerReadTimeoutNanos(), settings.bodyIdleTimeoutNanos());
    return Math.max(100, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(shortest) / 8));
  }

  /** The port actually bound (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** Stops accepting, lets in-flight requests finish up to the grace period, then closes. */
  public Future<Void> shutdown(Duration grace) {
    return server.shutdown(grace);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweeper);
    return server.close();
  }

  private void onConnection(HttpConnection connection) {
    if (openConnections.incrementAndGet() > settings.maxConnections()) {
      openConnections.decrementAndGet();
      connection.close();
      return;
    }
    ConnectionGuard guard = new ConnectionGuard(connection, System.nanoTime() + settings.headerReadTimeoutNanos());
    guards.put(connection, guard);
    if (settings.http2().enabled() && Http2Listener.upgradedFromHttp1(connection)) {
      // Upgrade: h2c stays refused (A34; RFC 9113 deprecated it): Vert.x has queued its 101 but
      // not flushed it, so closing now sends the client nothing, and the upgraded request is
      // never dispatched.
      guard.markClosing();
      Http2Listener.abort(connection);
    }
    connection.closeHandler(v -> {
      guards.remove(connection);
      openConnections.decrementAndGet();
    });
  }

  private void sweep() {
    long now = System.nanoTime();
    List<ConnectionGuard> late = null;
    for (ConnectionGuard guard : guards.values()) {
      // A late body fails its request (408, upstream reset; the dispatcher closes afterwards).
      if (!guard.failLateBody(now, settings.bodyIdleTimeoutNanos()) && guard.headersLate(now)) {
        if (late == null) {
          late = new ArrayList<>();
        }
        late.add(guard);
      }
    }
    if (late != null) {
      for (ConnectionGuard guard : late) {
        guards.remove(guard.connection);
        if (guard.firstHeadersTimedOut(now)) {
          HeaderTimeout.answer(guard.connection);
        } else {
          guard.connection.close();
        }
      }
    }
  }
}
