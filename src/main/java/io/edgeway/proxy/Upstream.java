package io.edgeway.proxy;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A route's upstream: its targets, balancer, timeouts and, per event loop, one connection pool per
 * target (created lazily by the loop that first uses it, so connections stay on that loop). Pool
 * sizes are explicit and the wait queue is bounded: saturation fails fast with 503, never queues
 * forever ({@link ConnectionPool}).
 */
public final class Upstream {
  private final List<UpstreamTarget> targets;
  private final LoadBalancer balancer;
  private final long connectTimeoutMillis;
  private final long responseTimeoutMillis;
  private final long idleTimeoutMillis;
  private final int maxConnections;
  private final int maxWaitQueue;
  private final AtomicReferenceArray<Loop> loops;
  private final TargetMonitor monitor;
  private final boolean h2c;

  public Upstream(
      List<UpstreamTarget> targets, LoadBalancer balancer, long connectTimeoutMillis, long responseTimeoutMillis,
      long idleTimeoutMillis, int maxConnections, int maxWaitQueue, int eventLoops) {
    this(targets, balancer, connectTimeoutMillis, responseTimeoutMillis, idleTimeoutMillis, maxConnections,
        maxWaitQueue, eventLoops, TargetMonitor.NONE);
  }

  /** An upstream whose attempts are reported to {@code monitor} (outlier detection, health checks). */
  public Upstream(
      List<UpstreamTarget> targets, LoadBalancer balancer, long connectTimeoutMillis, long responseTimeoutMillis,
      long idleTimeoutMillis, int maxConnections, int maxWaitQueue, int eventLoops, TargetMonitor monitor) {
    this(targets, balancer, connectTimeoutMillis, responseTimeoutMillis, idleTimeoutMillis, maxConnections,
        maxWaitQueue, eventLoops, monitor, false);
  }

  /**
   * @param h2c speak HTTP/2 with prior knowledge to the targets (one multiplexed connection
   *     serves many exchanges, {@link MultiplexedPool}) instead of HTTP/1.1
   */
  public Upstream(
      List<UpstreamTarget> targets, LoadBalancer balancer, long connectTimeoutMillis, long responseTimeoutMillis,
      long idleTimeoutMillis, int maxConnections, int maxWaitQueue, int eventLoops, TargetMonitor monitor,
      boolean h2c) {
    this.h2c = h2c;
    this.monitor = requireNonNull(monitor, "monitor");
    this.targets = List.copyOf(targets);
    this.balancer = requireNonNull(balancer, "balancer");
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.responseTimeoutMillis = responseTimeoutMillis;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.maxConnections = maxConnections;
    this.maxWaitQueue = maxWaitQueue;
    this.loops = new AtomicReferenceArray<>(eventLoops);
  }

  public List<UpstreamTarget> targets() {
    return targets;
  }

  /** True when the targets are spoken to in HTTP/2 (h2c). */
  public boolean http2() {
    return h2c;
  }

  public LoadBalancer balancer() {
    return balancer;
  }

  /** Told the outcome of every attempt; closed with this upstream. */
  public TargetMonitor monitor() {
    return monitor;
  }

  /**
   * The connection pools and timeouts of event loop {@code loopIndex}; only that loop calls this
   * with its index, so each loop's connections stay on it.
   */
  Loop loop(Vertx vertx, int loopIndex) {
    Loop loop = loops.get(loopIndex);
    if (loop == null) {
      loop = new Loop(vertx);
      loops.set(loopIndex, loop);
    }
    return loop;
  }

  /** Closes the pools and the monitor (shutdown, or a reload that dropped this upstream). */
  public void close() {
    monitor.close();
    for (int i = 0; i < loops.length(); i++) {
      Loop loop = loops.getAndSet(i, null);
      if (loop != null) {
        loop.close();
      }
    }
  }

  /**
   * One event loop's share of the upstream: a client, a connection pool per target, the timeout
   * queues, and the sweep that retires idle connections.
   */
  final class Loop {
    private final Vertx vertx;
    private final Context context;
    private final HttpClientAgent client;
    private final TargetPool[] byTarget;
    private final long evictionTimer;
    private final TimeoutQueue responseTimeouts;
    private final TimeoutQueue idleTimeouts;
    private Map<Long, TimeoutQueue> attemptTimeouts;

    Loop(Vertx vertx) {
      this.vertx = vertx;
      this.context = vertx.getOrCreateContext();
      HttpClientOptions options = new HttpClientOptions()
          .setKeepAlive(true)
          .setConnectTimeout((int) connectTimeoutMillis)
          .setTcpNoDelay(true)
          .setMaxInitialLineLength(8192)
          .setMaxHeaderSize(32 * 1024)
          .setDecompressionSupported(false);
      if (h2c) {
        // Prior knowledge: no HTTP/1.1 upgrade round trip, and nothing for a target to downgrade.
        options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
      }
      this.client = vertx.httpClientBuilder().with(options).build();
      this.byTarget = new TargetPool[targets.size()];
      for (int i = 0; i < byTarget.length; i++) {
        byTarget[i] = h2c
            ? new MultiplexedPool(vertx, client, targets.get(i), connectTimeoutMillis, maxConnections, maxWaitQueue)
            : new ConnectionPool(vertx, client, targets.get(i), connectTimeoutMillis, maxConnections, maxWaitQueue);
      }
      this.responseTimeouts = new TimeoutQueue(vertx, responseTimeoutMillis);
      this.idleTimeouts = new TimeoutQueue(vertx, idleTimeoutMillis);
      long keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
      // Created on the loop that uses the pools, so the sweep runs there too.
      this.evictionTimer = vertx.setPeriodic(Math.max(100, Math.min(1000, idleTimeoutMillis / 4)), id -> {
        for (TargetPool pool : byTarget) {
          pool.evictIdle(keepAliveNanos);
        }
      });
    }

    TargetPool pool(UpstreamTarget target) {
      for (int i = 0; i < byTarget.length; i++) {
        if (targets.get(i) == target) {
          return byTarget[i];
        }
      }
      throw new IllegalArgumentException("not a target of this upstream: " + target);
    }

    /** Bounds the wait for response headers: the upstream's timeout, or a retry's per-try timeout. */
    TimeoutQueue responseTimeouts(Long attemptTimeoutMillis) {
      if (attemptTimeoutMillis == null || attemptTimeoutMillis == responseTimeoutMillis) {
        return responseTimeouts;
      }
      if (attemptTimeouts == null) {
        attemptTimeouts = new HashMap<>();
      }
      return attemptTimeouts.computeIfAbsent(attemptTimeoutMillis, millis -> new TimeoutQueue(vertx, millis));
    }

    /** Bounds the silence between body chunks once the headers arrived. */
    TimeoutQueue idleTimeouts() {
      return idleTimeouts;
    }

    void close() {
      // The pools belong to their loop: close them there, whichever thread closes the upstream.
      context.runOnContext(v -> {
        vertx.cancelTimer(evictionTimer);
        for (TargetPool pool : byTarget) {
          pool.close();
        }
        client.close();
      });
    }
  }
}
