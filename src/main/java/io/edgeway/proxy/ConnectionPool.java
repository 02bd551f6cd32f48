package io.edgeway.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import java.util.ArrayDeque;

/**
 * The keep-alive HTTP/1.1 connections of one event loop to one target. Only that loop touches it,
 * so it needs no locks, and it hands out connections directly instead of going through Vert.x's
 * shared pool and endpoint resolver on every request (the largest fixed cost of a proxied request
 * in our profiles).
 *
 * <p>At most {@code maxConnections} are open or opening; a request that finds them all busy waits
 * in a queue of at most {@code maxWaitQueue}, for at most the connect timeout. Beyond either
 * bound it fails at once with {@link UpstreamFailure#BUSY} (503): saturation never queues forever.
 * Idle connections are reused most-recent first and closed by {@link #evictIdle(long)} once idle
 * longer than the keep-alive timeout.
 */
final class ConnectionPool implements TargetPool {
  private final Vertx vertx;
  private final HttpClientAgent client;
  private final HttpConnectOptions connectOptions;
  private final int maxConnections;
  private final int maxWaitQueue;
  private final long waitTimeoutMillis;
  private final ArrayDeque<Pooled> idle = new ArrayDeque<>();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int open;
  private boolean closed;

  ConnectionPool(
      Vertx vertx, HttpClientAgent client, UpstreamTarget target, long connectTimeoutMillis, int maxConnections,
      int maxWaitQueue) {
    this.vertx = vertx;
    this.client = client;
    this.connectOptions = new HttpConnectOptions()
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.ssl())
        .setConnectTimeout(connectTimeoutMillis);
    this.maxConnections = maxConnections;
    this.maxWaitQueue = maxWaitQueue;
    this.waitTimeoutMillis = Math.max(1, connectTimeoutMillis);
  }

  /** A connection for one exchange; give it back with {@link #release(Pooled)} once the response ended. */
  @Override
  public Future<Pooled> acquire() {
    Pooled pooled;
    while ((pooled = idle.pollLast()) != null) {
      if (pooled.keepAliveNanos == 0 || System.nanoTime() - pooled.idleSince < pooled.keepAliveNanos) {
        return Future.succeededFuture(pooled);
      }
      // Past the keep-alive the target announced: it may be closing it right now.
      pooled.connection.close();
    }
    if (closed) {
      return Future.failedFuture(UpstreamFailure.UNREACHABLE.exception());
    }
    if (open < maxConnections) {
      Promise<Pooled> promise = Promise.promise();
      connect(promise);
      return promise.future();
    }
    if (waiters.size() >= maxWaitQueue) {
      return Future.failedFuture(UpstreamFailure.BUSY.exception());
    }
    Waiter waiter = new Waiter();
    waiters.addLast(waiter);
    waiter.timer = vertx.setTimer(waitTimeoutMillis, id -> {
      if (waiters.remove(waiter)) {
        waiter.promise.fail(UpstreamFailure.BUSY.exception());
      }
    });
    return waiter.promise.future();
  }

  /** A connection whose exchange failed: closed, never reused. */
  @Override
  public void discard(Pooled pooled) {
    pooled.connection.close();
  }

  /** Returns a connection whose exchange is over; it serves the next waiter or goes idle. */
  @Override
  public void release(Pooled pooled) {
    if (pooled.closed || closed) {
      return;
    }
    Waiter waiter = waiters.pollFirst();
    if (waiter != null) {
      vertx.cancelTimer(waiter.timer);
      waiter.promise.complete(pooled);
      return;
    }
    pooled.idleSince = System.nanoTime();
    idle.addLast(pooled);
  }

  /**
   * Closes connections idle for longer than {@code keepAliveNanos}, or than the target's own
   * keep-alive timeout when it announced a shorter one.
   */
  @Override
  public void evictIdle(long keepAliveNanos) {
    if (idle.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    idle.removeIf(pooled -> {
      long limit = pooled.keepAliveNanos > 0 ? Math.min(keepAliveNanos, pooled.keepAliveNanos) : keepAliveNanos;
      if (now - pooled.idleSince > limit) {
        pooled.connection.close();
        return true;
      }
      return false;
    });
  }

  /** Closes every idle connection and fails the waiters; connections in use close with their exchange. */
  @Override
  public void close() {
    closed = true;
    Pooled pooled;
    while ((pooled = idle.pollFirst()) != null) {
      pooled.connection.close();
    }
    Waiter waiter;
    while ((waiter = waiters.pollFirst()) != null) {
      vertx.cancelTimer(waiter.timer);
      waiter.promise.fail(UpstreamFailure.UNREACHABLE.exception());
    }
  }

  private void connect(Promise<Pooled> promise) {
    open++;
    client.connect(connectOptions).onComplete(ar -> {
      if (ar.failed()) {
        open--;
        promise.fail(ar.cause());
        serveWaiterWithNewConnection();
        return;
      }
      Pooled pooled = new Pooled(ar.result());
      pooled.connection.closeHandler(v -> onClosed(pooled));
      if (closed) {
        pooled.connection.close();
      }
      promise.complete(pooled);
    });
  }

  private void onClosed(Pooled pooled) {
    pooled.closed = true;
    open--;
    idle.remove(pooled);
    serveWaiterWithNewConnection();
  }

  private void serveWaiterWithNewConnection() {
    if (!closed && open < maxConnections) {
      Waiter waiter = waiters.pollFirst();
      if (waiter != null) {
        vertx.cancelTimer(waiter.timer);
        connect(waiter.promise);
      }
    }
  }

  /** A pooled connection and its bookkeeping. */
  static final class Pooled {
    final HttpClientConnection connection;
    long idleSince;
    /** The target's {@code Keep-Alive: timeout} less a safety margin, or 0 when it sent none. */
    long keepAliveNanos;
    boolean closed;
    /** The pool's bookkeeping for this lease, when it needs any ({@link MultiplexedPool}). */
    final Object slot;

    Pooled(HttpClientConnection connection) {
      this(connection, null);
    }

    Pooled(HttpClientConnection connection, Object slot) {
      this.connection = connection;
      this.slot = slot;
    }
  }

  private static final class Waiter {
    final Promise<Pooled> promise = Promise.promise();
    long timer;
  }
}
