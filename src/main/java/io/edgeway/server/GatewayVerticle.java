package io.edgeway.server;

import io.edgeway.runtime.GatewayRuntime;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.edgeway.tls.TlsEngine;
import io.vertx.core.net.ServerSSLOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance per event loop, each serving every listener (Vert.x balances each port's
 * connections between the instances). Owns the connection guards of its loop; everything it
 * touches per request is confined to its loop, so every listener's requests on this loop share
 * the loop's upstream connections.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final AtomicInteger NEXT_INDEX = new AtomicInteger();

  private final GatewayRuntime runtime;
  private final ServerSettings settings;
  private final List<ListenerSettings> listeners;
  private final AtomicInteger openConnections;
  private final int loopIndex;
  private final Map<HttpConnection, ConnectionGuard> guards = new HashMap<>();
  private final List<HttpServer> servers = new ArrayList<>();
  private long sweeper;

  /**
   * @param loopIndex this instance's index, 0..instances-1 (selects its upstream clients)
   * @param openConnections the process-wide connection count, shared by all instances
   */
  public GatewayVerticle(GatewayRuntime runtime, ServerSettings settings, int loopIndex, AtomicInteger openConnections) {
    this.runtime = runtime;
    this.settings = settings;
    this.listeners = settings.listeners();
    this.loopIndex = loopIndex;
    this.openConnections = openConnections;
  }

  static int nextIndex() {
    return NEXT_INDEX.getAndIncrement();
  }

  @Override
  public Future<?> start() {
    List<Future<?>> listening = new ArrayList<>();
    for (ListenerSettings listener : listeners) {
      HttpServerOptions options = options(listener);
      RequestDispatcher dispatcher = new RequestDispatcher(vertx, runtime, settings, listener, loopIndex, guards);
      HttpServer server = vertx.createHttpServer(options)
          .connectionHandler(this::onConnection)
          .invalidRequestHandler(dispatcher::handleInvalid)
          .requestHandler(dispatcher::handle);
      servers.add(server);
      listening.add(server.listen());
    }
    sweeper = vertx.setPeriodic(sweepPeriodMillis(settings), id -> sweep());
    return Future.all(listening);
  }

  private HttpServerOptions options(ListenerSettings listener) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(listener.host())
        .setPort(listener.port())
        .setMaxInitialLineLength(settings.maxRequestLine())
        .setMaxHeaderSize(settings.maxHeaderSize())
        .setIdleTimeout((int) TimeUnit.NANOSECONDS.toSeconds(settings.keepAliveIdleNanos()))
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setHandle100ContinueAutomatically(false)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setTcpNoDelay(true)
        .setHttp2ClearTextEnabled(false)
        // WebSockets are tunnelled byte for byte: the client and the target negotiate extensions
        // themselves. Vert.x's extension handler would only sit in every request's pipeline.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    if (listener.proxyProtocol()) {
      // Bounded like the header read: a connection that never sends its PROXY header is closed.
      options.setUseProxyProtocol(true)
          .setProxyProtocolTimeout(TimeUnit.NANOSECONDS.toMillis(settings.headerReadTimeoutNanos()))
          .setProxyProtocolTimeoutUnit(TimeUnit.MILLISECONDS);
    }
    if (listener.tls() != null) {
      options.setSsl(true)
          .setSslEngineOptions(TlsEngine.options())
          // A handshake is part of reading the request head: the same bound as the header read.
          .setSslHandshakeTimeout(TimeUnit.NANOSECONDS.toMillis(settings.headerReadTimeoutNanos()))
          .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
      listener.tls().configure(options.getSslOptions() == null ? new ServerSSLOptions() : options.getSslOptions());
    }
    if (settings.http2().enabled()) {
      Http2Listener.configure(options, settings.http2());
      if (listener.tls() != null) {
        // HTTP/2 over TLS is chosen by ALPN; HTTP/1.1 stays on offer for clients without h2.
        options.setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
      } else {
        // h2c with prior knowledge next to HTTP/1.1 on the same clear-text port.
        options.setHttp2ClearTextEnabled(true);
      }
    }
    return options;
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

  /** The port listener {@code index} actually bound (useful with port 0). */
  public int actualPort(int index) {
    return servers.get(index).actualPort();
  }

  /**
   * Installs new TLS options (reloaded certificates) on listener {@code index}: new handshakes use
   * them, open connections keep theirs.
   */
  public Future<Boolean> updateSsl(int index, ServerSSLOptions options) {
    return servers.get(index).updateSSLOptions(options, true);
  }

  /** Stops accepting, lets in-flight requests finish up to the grace period, then closes. */
  public Future<Void> shutdown(Duration grace) {
    List<Future<?>> shutdowns = new ArrayList<>();
    servers.forEach(server -> shutdowns.add(server.shutdown(grace)));
    return Future.join(shutdowns).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweeper);
    List<Future<?>> closes = new ArrayList<>();
    servers.forEach(server -> closes.add(server.close()));
    return Future.join(closes);
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
