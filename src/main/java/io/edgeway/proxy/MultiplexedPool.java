package io.edgeway.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpVersion;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP/2 connections (h2c, or h2 over TLS) of one event loop to one target. An HTTP/2 connection carries many
 * exchanges at once, so a lease is a stream slot: an exchange takes a slot on the least busy open
 * connection below the target's {@code SETTINGS_MAX_CONCURRENT_STREAMS}, and a new connection is
 * opened only when every one is full (at most {@code maxConnections}). Past that, a request waits
 * in a bounded queue for at most the connect timeout, then fails with {@link UpstreamFailure#BUSY}
 * (503), as with HTTP/1.1. A failed exchange resets its stream only; the connection stays for the
 * others, and leaves the pool when it closes or the target sends GOAWAY. Only its loop touches
 * it: no locks.
 *
 * <p>Retired by a reload, it opens no stream on an idle connection any more, closes connections as
 * their last stream ends, and runs {@code onDrained} once nothing is open, opening or waiting.
 * Connections are counted in {@link UpstreamResources} as {@link ConnectionPool}'s are. Its counts
 * are published for metrics with opaque writes, as {@link ConnectionPool} does: a connection
 * carrying a stream (or being opened) counts as in use, one without as idle.
 */
final class MultiplexedPool implements TargetPool {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MultiplexedPool.class);
  private static final VarHandle IN_USE_SEEN;
  private static final VarHandle IDLE_SEEN;
  private static final VarHandle WAITERS_SEEN;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      IN_USE_SEEN = lookup.findVarHandle(MultiplexedPool.class, "inUseSeen", int.class);
      IDLE_SEEN = lookup.findVarHandle(MultiplexedPool.class, "idleSeen", int.class);
      WAITERS_SEEN = lookup.findVarHandle(MultiplexedPool.class, "waitersSeen", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final UpstreamTarget target;
  private final HttpConnectOptions connectOptions;
  private final int maxConnections;
  private final int maxWaitQueue;
  private final long waitTimeoutMillis;
  private final UpstreamResources resources;
  private Runnable onDrained; // loop thread only; replaced when another upstream takes the pool over
  private final List<Shared> connections = new ArrayList<>(2);
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int connecting;
  /** Connections established and not closed yet (in {@code connections}, or leaving after GOAWAY). */
  private int open;
  private boolean closed;
  private boolean retired;
  @SuppressWarnings("unused") // through IN_USE_SEEN
  private int inUseSeen;
  @SuppressWarnings("unused") // through IDLE_SEEN
  private int idleSeen;
  @SuppressWarnings("unused") // through WAITERS_SEEN
  private int waitersSeen;

  MultiplexedPool(
      Vertx vertx, HttpClientAgent client, UpstreamTarget target, long connectTimeoutMillis, int maxConnections,
      int maxWaitQueue) {
    this(vertx, client, target, connectTimeoutMillis, maxConnections, maxWaitQueue, new UpstreamResources(), () -> { });
  }

  MultiplexedPool(
      Vertx vertx, HttpClientAgent client, UpstreamTarget target, long connectTimeoutMillis, int maxConnections,
      int maxWaitQueue, UpstreamResources resources, Runnable onDrained) {
    this.vertx = vertx;
    this.client = client;
    this.target = target;
    this.resources = resources;
    this.onDrained = onDrained;
    this.connectOptions = new HttpConnectOptions()
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.ssl())
        .setConnectTimeout(connectTimeoutMillis);
    this.maxConnections = maxConnections;
    this.maxWaitQueue = maxWaitQueue;
    this.waitTimeoutMillis = Math.max(1, connectTimeoutMillis);
  }

  @Override
  public void handOver(Runnable onDrained) {
    this.onDrained = java.util.Objects.requireNonNull(onDrained, "onDrained");
  }

  @Override
  public Future<ConnectionPool.Pooled> acquire() {
    try {
      return acquireNow();
    } finally {
      publishStats();
    }
  }

  private Future<ConnectionPool.Pooled> acquireNow() {
    if (closed) {
      return Future.failedFuture(UpstreamFailure.UNREACHABLE.exception());
    }
    ConnectionPool.Pooled lease = lease();
    if (lease != null) {
      return Future.succeededFuture(lease);
    }
    // While a connection may still be opened, its first SETTINGS' worth of streams may wait for it.
    boolean canGrow = connections.size() + connecting < maxConnections || connecting > 0;
    if (waiters.size() >= maxWaitQueue + (canGrow ? 100 : 0)) {
      return Future.failedFuture(UpstreamFailure.BUSY.exception());
    }
    Waiter waiter = new Waiter();
    waiters.addLast(waiter);
    waiter.timer = vertx.setTimer(waitTimeoutMillis, id -> {
      if (waiters.remove(waiter)) {
        publishStats();
        waiter.promise.fail(UpstreamFailure.BUSY.exception());
        checkDrained();
      }
    });
    if (connections.size() + connecting < maxConnections && connecting == 0) {
      connect();
    }
    return waiter.promise.future();
  }

  @Override
  public void release(ConnectionPool.Pooled pooled) {
    Shared shared = (Shared) pooled.slot;
    shared.inUse--;
    shared.idleSince = System.nanoTime();
    serveWaiters();
    if (retired && shared.inUse == 0 && connections.remove(shared)) {
      // Its last stream ended: a retired pool keeps nothing open (the close handler counts it).
      shared.connection.close();
    }
    publishStats();
  }

  /** The exchange's stream was reset; the connection itself still serves the others. */
  @Override
  public void discard(ConnectionPool.Pooled pooled) {
    release(pooled);
  }

  @Override
  public void retire(boolean checkNow) {
    if (!retired) {
      retired = true;
      connections.removeIf(shared -> {
        if (shared.inUse == 0) {
          shared.connection.close();
          return true;
        }
        return false;
      });
      publishStats();
    }
    if (checkNow) {
      checkDrained();
    }
  }

  @Override
  public boolean isDrained() {
    return retired && open == 0 && connecting == 0 && waiters.isEmpty();
  }

  private void checkDrained() {
    if (isDrained()) {
      onDrained.run();
    }
  }

  @Override
  public PoolStats stats() {
    return new PoolStats((int) IN_USE_SEEN.getOpaque(this), (int) IDLE_SEEN.getOpaque(this),
        (int) WAITERS_SEEN.getOpaque(this));
  }

  private void publishStats() {
    int inUse = 0;
    int idle = 0;
    for (int i = 0; i < connections.size(); i++) {
      if (connections.get(i).inUse > 0) {
        inUse++;
      } else {
        idle++;
      }
    }
    IN_USE_SEEN.setOpaque(this, inUse + connecting);
    IDLE_SEEN.setOpaque(this, idle);
    WAITERS_SEEN.setOpaque(this, waiters.size());
  }

  @Override
  public void evictIdle(long keepAliveNanos) {
    long now = System.nanoTime();
    connections.removeIf(shared -> {
      if (shared.inUse == 0 && now - shared.idleSince > keepAliveNanos) {
        shared.connection.close();
        return true;
      }
      return false;
    });
    publishStats();
  }

  @Override
  public void close() {
    closed = true;
    for (Shared shared : connections) {
      // Streams in flight finish first: shutdown sends GOAWAY and closes once they are done.
      shared.connection.shutdown();
    }
    connections.clear();
    Waiter waiter;
    while ((waiter = waiters.pollFirst()) != null) {
      vertx.cancelTimer(waiter.timer);
      waiter.promise.fail(UpstreamFailure.UNREACHABLE.exception());
    }
    publishStats();
  }

  /**
   * A slot on the least busy connection with room, or null. A retired pool holds no idle
   * connection (retiring closes them, and each closes as its last stream ends), so a late request
   * of the old snapshot gets a stream on a busy one or a connection opened for it.
   */
  private ConnectionPool.Pooled lease() {
    Shared best = null;
    for (int i = 0; i < connections.size(); i++) {
      Shared shared = connections.get(i);
      if (shared.inUse < shared.capacity() && (best == null || shared.inUse < best.inUse)) {
        best = shared;
      }
    }
    if (best == null) {
      return null;
    }
    best.inUse++;
    return new ConnectionPool.Pooled(best.connection, best);
  }

  private void connect() {
    connecting++;
    publishStats();
    client.connect(connectOptions).onComplete(ar -> {
      connecting--;
      if (ar.failed()) {
        if (UpstreamFailure.classify(ar.cause()) == UpstreamFailure.PROTOCOL) {
          // The deepest TLS cause names the alert (NO_APPLICATION_PROTOCOL); else Vert.x's refusal.
          Throwable tls = UpstreamFailure.tlsCause(ar.cause());
          notHttp2(String.valueOf(tls != null ? tls.getMessage() : ar.cause().getMessage()));
        } else {
          connectFailed(ar.cause());
        }
        return;
      }
      HttpClientConnection connection = ar.result();
      if (connection.protocolVersion() != HttpVersion.HTTP_2) {
        // Vert.x 5.1 refuses such a connection itself (ALPN offers h2 only, so HTTP/1.1 is "not
        // supported"); should a later version fall back to HTTP/1.1 instead, it is refused here.
        connection.close();
        notHttp2("the connection speaks " + connection.protocolVersion());
        return;
      }
      open++;
      resources.connectionOpened();
      Shared shared = new Shared(connection);
      connection.closeHandler(v -> {
        open--;
        resources.connectionClosed();
        connections.remove(shared);
        serveWaiters();
        publishStats();
        checkDrained();
      });
      if (closed) {
        connection.close();
        return;
      }
      connections.add(shared);
      connection.goAwayHandler(goAway -> {
        connections.remove(shared);
        publishStats();
      });
      serveWaiters();
      if (retired && shared.inUse == 0 && connections.remove(shared)) {
        connection.close();
      }
      publishStats();
    });
  }

  /**
   * The waiters asked for a connection that cannot be had: they fail as an HTTP/1.1 request
   * would on its own connect.
   */
  private void connectFailed(Throwable cause) {
    target.connectFailed();
    Waiter waiter;
    while ((waiter = waiters.pollFirst()) != null) {
      vertx.cancelTimer(waiter.timer);
      waiter.promise.fail(cause);
    }
    publishStats();
    checkDrained();
  }

  /**
   * The target completed no HTTP/2 connection: with {@code protocol: h2} that is its
   * configuration (or the wrong target), never a reason to speak HTTP/1.1 instead. Logged with the
   * target, since the client only sees {@code upstream_protocol}.
   */
  private void notHttp2(String reason) {
    log.warn("upstream {} did not select h2 by ALPN ({}); protocol: h2 needs a target that offers h2", target,
        reason);
    connectFailed(UpstreamFailure.PROTOCOL.exception());
  }

  private void serveWaiters() {
    while (!waiters.isEmpty()) {
      ConnectionPool.Pooled lease = lease();
      if (lease == null) {
        if (!closed && connecting == 0 && connections.size() < maxConnections) {
          connect();
        }
        return;
      }
      Waiter waiter = waiters.pollFirst();
      vertx.cancelTimer(waiter.timer);
      waiter.promise.complete(lease);
    }
  }

  /** One HTTP/2 connection and how many of its streams the gateway uses. */
  private static final class Shared {
    final HttpClientConnection connection;
    int inUse;
    long idleSince = System.nanoTime();

    Shared(HttpClientConnection connection) {
      this.connection = connection;
    }

    /** The target's concurrent stream limit (100 until its SETTINGS say otherwise). */
    long capacity() {
      long max = connection.maxActiveStreams();
      return max > 0 ? max : 100;
    }
  }

  private static final class Waiter {
    final Promise<ConnectionPool.Pooled> promise = Promise.promise();
    long timer;
  }
}
