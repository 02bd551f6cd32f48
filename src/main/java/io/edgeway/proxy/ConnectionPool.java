package io.edgeway.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 *
 * <p>Its sizes are published for metrics ({@link #stats()}, read from another thread) with
 * opaque writes: plain stores on the loop, no fence on the request path, and a reader sees
 * whole, recent values (a gauge needs no more).
 */
final class ConnectionPool implements TargetPool {
  private static final VarHandle OPEN_SEEN;
  private static final VarHandle IDLE_SEEN;
  private static final VarHandle WAITERS_SEEN;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      OPEN_SEEN = lookup.findVarHandle(ConnectionPool.class, "openSeen", int.class);
      IDLE_SEEN = lookup.findVarHandle(ConnectionPool.class, "idleSeen", int.class);
      WAITERS_SEEN = lookup.findVarHandle(ConnectionPool.class, "waitersSeen", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final UpstreamTarget target;
  private final Vertx vertx;
  private final HttpClientAgent client;
  private final HttpConnectOptions connectOptions;
  private final int maxConnections;
  private final int maxWaitQueue;
  private final long waitTimeoutMillis;
  private final ArrayDeque<Pooled> idle = new ArrayDeque<>();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private final UpstreamResources resources;
  private Runnable onDrained; // loop thread only; replaced when another upstream takes the pool over
  private int open;
  private boolean closed;
  @SuppressWarnings("unused") // through OPEN_SEEN
  private int openSeen;
  @SuppressWarnings("unused") // through IDLE_SEEN
  private int idleSeen;
  @SuppressWarnings("unused") // through WAITERS_SEEN
  private int waitersSeen;
  // Retired by a reload: still serves the requests that started on the old snapshot, but keeps
  // no connection idle, and tells its loop once nothing is open or waiting any more.
  private boolean retired;

  ConnectionPool(
      Vertx vertx, HttpClientAgent client, UpstreamTarget target, long connectTimeoutMillis, int maxConnections,
      int maxWaitQueue) {
    this(vertx, client, target, connectTimeoutMillis, maxConnections, maxWaitQueue, new UpstreamResources(), () -> { });
  }

  ConnectionPool(
      Vertx vertx, HttpClientAgent client, UpstreamTarget target, long connectTimeoutMillis, int maxConnections,
      int maxWaitQueue, UpstreamResources resources, Runnable onDrained) {
    this.resources = resources;
    this.onDrained = onDrained;
    this.vertx = vertx;
    this.client = client;
    this.target = target;
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
  public void handOver(Runnable onDrained) {
    this.onDrained = java.util.Objects.requireNonNull(onDrained, "onDrained");
  }

  @Override
  public Future<Pooled> acquire() {
    try {
      return acquireNow();
    } finally {
      publishStats();
    }
  }

  private Future<Pooled> acquireNow() {
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
        publishStats();
        waiter.promise.fail(UpstreamFailure.BUSY.exception());
        checkDrained();
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
    if (pooled.closed) {
      return;
    }
    if (closed) {
      // Not pooled any more: close it, or nothing would (the connection would stay open unowned).
      pooled.connection.close();
      return;
    }
    Waiter waiter = waiters.pollFirst();
    if (waiter != null) {
      vertx.cancelTimer(waiter.timer);
      publishStats();
      waiter.promise.complete(pooled);
      return;
    }
    if (retired) {
      pooled.connection.close();
      return;
    }
    pooled.idleSince = System.nanoTime();
    idle.addLast(pooled);
    publishStats();
  }

  /**
   * A reload dropped this pool's upstream: close the idle connections now, the others when their
   * exchange ends; {@code onDrained} runs once nothing is open or waiting (checked now when
   * {@code checkNow}, else at the next change).
   */
  @Override
  public void retire(boolean checkNow) {
    if (!retired) {
      retired = true;
      Pooled pooled;
      while ((pooled = idle.pollFirst()) != null) {
        pooled.connection.close();
      }
    }
    if (checkNow) {
      checkDrained();
    }
  }

  /** Retired, and no connection open or being opened, no request waiting. */
  @Override
  public boolean isDrained() {
    return retired && open == 0 && waiters.isEmpty();
  }

  private void checkDrained() {
    if (isDrained()) {
      onDrained.run();
    }
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
    publishStats();
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
    publishStats();
  }

  /** Connections open or opening, idle, and requests waiting; callable from any thread. */
  @Override
  public PoolStats stats() {
    int openNow = (int) OPEN_SEEN.getOpaque(this);
    int idleNow = (int) IDLE_SEEN.getOpaque(this);
    return new PoolStats(Math.max(0, openNow - idleNow), idleNow, (int) WAITERS_SEEN.getOpaque(this));
  }

  private void publishStats() {
    OPEN_SEEN.setOpaque(this, open);
    IDLE_SEEN.setOpaque(this, idle.size());
    WAITERS_SEEN.setOpaque(this, waiters.size());
  }

  private void connect(Promise<Pooled> promise) {
    open++;
    client.connect(connectOptions).onComplete(ar -> {
      if (ar.failed()) {
        open--;
        target.connectFailed();
        promise.fail(ar.cause());
        serveWaiterWithNewConnection();
        publishStats();
        checkDrained();
        return;
      }
      resources.connectionOpened();
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
    resources.connectionClosed();
    idle.remove(pooled);
    serveWaiterWithNewConnection();
    publishStats();
    checkDrained();
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
