package io.edgeway.proxy;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import java.util.ArrayList;
import java.util.Arrays;
import io.vertx.core.http.HttpVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private final UpstreamTls tls;
  private final UpstreamResources resources;
  private volatile boolean retired;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Spoken to in HTTP/2: h2c to {@code http://} targets, h2 by ALPN to {@code https://} ones. */
  private final boolean http2;
  /** What a reload built this upstream to replace; taken over when that one retires into this one. */
  private volatile Upstream predecessor;
  private volatile boolean predecessorPoolsShareable;

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
        maxWaitQueue, eventLoops, monitor, UpstreamTls.SYSTEM, new UpstreamResources(), false);
  }

  /** An HTTP/1.1 upstream whose {@code https://} targets are reached as {@code tls} says. */
  public Upstream(
      List<UpstreamTarget> targets, LoadBalancer balancer, long connectTimeoutMillis, long responseTimeoutMillis,
      long idleTimeoutMillis, int maxConnections, int maxWaitQueue, int eventLoops, TargetMonitor monitor,
      UpstreamTls tls, UpstreamResources resources) {
    this(targets, balancer, connectTimeoutMillis, responseTimeoutMillis, idleTimeoutMillis, maxConnections,
        maxWaitQueue, eventLoops, monitor, tls, resources, false);
  }

  /** An upstream spoken to in HTTP/2 when {@code http2}, with the system trust store and its own counts. */
  public Upstream(
      List<UpstreamTarget> targets, LoadBalancer balancer, long connectTimeoutMillis, long responseTimeoutMillis,
      long idleTimeoutMillis, int maxConnections, int maxWaitQueue, int eventLoops, TargetMonitor monitor,
      boolean http2) {
    this(targets, balancer, connectTimeoutMillis, responseTimeoutMillis, idleTimeoutMillis, maxConnections,
        maxWaitQueue, eventLoops, monitor, UpstreamTls.SYSTEM, new UpstreamResources(), http2);
  }

  /**
   * An upstream whose {@code https://} targets are reached as {@code tls} says, and whose monitor,
   * loops and connections are counted in {@code resources}.
   *
   * @param http2 speak HTTP/2 to the targets instead of HTTP/1.1 (one multiplexed connection
   *     serves many exchanges, {@link MultiplexedPool}): with prior knowledge to {@code http://}
   *     targets (h2c), negotiated by ALPN offering {@code h2} only to {@code https://} ones (h2)
   */
  public Upstream(
      List<UpstreamTarget> targets, LoadBalancer balancer, long connectTimeoutMillis, long responseTimeoutMillis,
      long idleTimeoutMillis, int maxConnections, int maxWaitQueue, int eventLoops, TargetMonitor monitor,
      UpstreamTls tls, UpstreamResources resources, boolean http2) {
    this.tls = requireNonNull(tls, "tls");
    this.resources = requireNonNull(resources, "resources");
    this.http2 = http2;
    resources.upstreamCreated();
    this.monitor = requireNonNull(monitor, "monitor");
    this.targets = List.copyOf(targets);
    tls.prepare(this.targets);
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

  /** True when the targets are spoken to in HTTP/2 (h2c or h2). */
  public boolean http2() {
    return http2;
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
      // Also after a retire: a request that began on the old snapshot still gets its connection,
      // and this share closes itself once that exchange ended.
      loop = new Loop(vertx, loopIndex);
      loops.set(loopIndex, loop);
      if (retired) {
        // Read after publishing the loop: retire() either saw it or is seen here (both is fine).
        // Not drained yet: the caller is about to take a connection, and the share closes once
        // that exchange ended.
        loop.retiring(false);
      }
    }
    return loop;
  }

  /** Per event loop, at most this many connections to each target ({@code pool.max-connections}). */
  public int maxConnections() {
    return maxConnections;
  }

  /** Per event loop and target, at most this many requests wait for a connection. */
  public int maxWaitQueue() {
    return maxWaitQueue;
  }

  /** The pools' counts per target, in {@link #targets()} order (see {@link #poolStats(UpstreamTarget)}). */
  public List<PoolStats> poolStats() {
    List<PoolStats> stats = new ArrayList<>(targets.size());
    for (UpstreamTarget target : targets) {
      stats.add(poolStats(target));
    }
    return stats;
  }

  /**
   * The connections of {@code target} summed over the event loops that opened a pool for it;
   * callable from any thread (the values are a recent view, not a consistent snapshot).
   */
  public PoolStats poolStats(UpstreamTarget target) {
    int index = targets.indexOf(target);
    if (index < 0) {
      throw new IllegalArgumentException("not a target of this upstream: " + target);
    }
    PoolStats sum = PoolStats.EMPTY;
    for (int i = 0; i < loops.length(); i++) {
      Loop loop = loops.get(i);
      if (loop != null) {
        sum = sum.plus(loop.byTarget[index].stats());
      }
    }
    return sum;
  }


  /**
   * A reload dropped this upstream: the monitor stops now (health-check timer and client), each
   * loop's share closes its idle connections at once and everything else when the last exchange
   * on it ended, on its own loop. Requests in flight on the old snapshot finish normally.
   */
  public void retire() {
    retired = true;
    closeMonitor();
    for (int i = 0; i < loops.length(); i++) {
      Loop loop = loops.get(i);
      if (loop != null) {
        loop.context.runOnContext(v -> loop.retiring(true));
      }
    }
  }

  /**
   * Declares that this upstream replaces {@code previous} (same route, changed {@code upstream:}
   * block), sharing with it the {@link UpstreamTarget} objects of unchanged targets. When
   * {@code samePoolSettings} (connect timeout, pool sizes, TLS and protocol unchanged), those
   * targets' connection pools are taken over too when {@code previous} {@linkplain #retireInto
   * retires into} this one. Called by the compiler before this upstream serves.
   */
  public void succeeds(Upstream previous, boolean samePoolSettings) {
    this.predecessor = requireNonNull(previous, "previous");
    this.predecessorPoolsShareable = samePoolSettings;
  }

  /** The upstream this one replaces, if a reload built it so ({@link #succeeds}). */
  public Upstream predecessor() {
    return predecessor;
  }

  /**
   * Retires this upstream after a reload swapped in {@code next}, its route's successor ({@link
   * #succeeds}): the targets both share keep their outlier-ejection and health state ({@link
   * TargetMonitor#takeOver}), and, with unchanged pool settings, each event loop's pools of those
   * targets and its client move to {@code next} (idle connections included), before anything else
   * of this upstream drains and closes as {@link #retire()} does. Completes once every loop did
   * its part (on its own loop).
   */
  public Future<Void> retireInto(Upstream next) {
    requireNonNull(next, "next");
    if (next.predecessor != this) {
      retire();
      return Future.succeededFuture();
    }
    // Told before this monitor closes: an ejection it made stays, timed by next's monitor.
    next.monitor.takeOver(monitor);
    retired = true;
    closeMonitor();
    List<Future<Void>> handOvers = new ArrayList<>();
    for (int i = 0; i < loops.length(); i++) {
      Loop loop = loops.get(i);
      if (loop != null) {
        int index = i;
        Promise<Void> done = Promise.promise();
        handOvers.add(done.future());
        loop.context.runOnContext(v -> {
          // Only this loop creates next's share of it: absent here means no request of the new
          // snapshot used this loop yet, so the pools can move before any does.
          if (next.predecessorPoolsShareable && next.loops.get(index) == null && !loop.loopClosed) {
            next.loops.set(index, next.new Loop(loop.vertx, index, loop));
          }
          loop.retiring(true);
          done.complete();
        });
      }
    }
    return Future.all(handOvers).mapEmpty();
  }

  /** True once {@link #retire()} was called. */
  public boolean isRetired() {
    return retired;
  }

  /** Closes the pools and the monitor at once (shutdown). */
  public void close() {
    closeMonitor();
    for (int i = 0; i < loops.length(); i++) {
      Loop loop = loops.getAndSet(i, null);
      if (loop != null) {
        loop.close();
      }
    }
  }

  private void closeMonitor() {
    if (closed.compareAndSet(false, true)) {
      monitor.close();
      resources.upstreamClosed();
    }
  }

  /**
   * One event loop's share of the upstream: a client, a connection pool per target, the timeout
   * queues, and the sweep that retires idle connections.
   */
  final class Loop {
    private final Vertx vertx;
    private final Context context;
    private final SharedClient client;
    private final TargetPool[] byTarget;
    /** By target index: the pool moved to the next upstream's loop (not this loop's to retire or close). */
    private final boolean[] handedOver;
    private final long evictionTimer;
    private final TimeoutQueue responseTimeouts;
    private final TimeoutQueue idleTimeouts;
    private Map<Long, TimeoutQueue> attemptTimeouts;
    private final int index;
    private boolean retiring;
    private boolean loopClosed;

    Loop(Vertx vertx, int index) {
      this(vertx, index, null);
    }

    /**
     * A loop's share; with {@code previous} (the retiring upstream's share of the same loop, on
     * that loop), its client and the pools of the targets both upstreams share are taken over.
     */
    Loop(Vertx vertx, int index, Loop previous) {
      this.index = index;
      this.vertx = vertx;
      this.context = vertx.getOrCreateContext();
      if (previous != null) {
        previous.client.holders++;
        this.client = previous.client;
      } else {
        HttpClientOptions options = new HttpClientOptions()
            .setKeepAlive(true)
            .setConnectTimeout((int) connectTimeoutMillis)
            .setTcpNoDelay(true)
            .setMaxInitialLineLength(8192)
            .setMaxHeaderSize(32 * 1024)
            .setDecompressionSupported(false);
        tls.applyTo(options, targets);
        if (http2) {
          // Clear text: prior knowledge, no HTTP/1.1 upgrade round trip and nothing for a target to
          // downgrade. TLS: ALPN offers h2 alone; a target that picks nothing (Vert.x would then
          // speak HTTP/1.1) is refused by MultiplexedPool, never silently spoken to in HTTP/1.1.
          options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
              .setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2));
        }
        this.client = new SharedClient(vertx.httpClientBuilder().with(options).build());
      }
      this.byTarget = new TargetPool[targets.size()];
      this.handedOver = new boolean[targets.size()];
      for (int i = 0; i < byTarget.length; i++) {
        TargetPool adopted = previous == null ? null : previous.handOver(targets.get(i));
        if (adopted != null) {
          adopted.handOver(this::poolDrained);
          byTarget[i] = adopted;
          continue;
        }
        byTarget[i] = http2
            ? new MultiplexedPool(vertx, client.agent, targets.get(i), connectTimeoutMillis, maxConnections,
                maxWaitQueue, resources, this::poolDrained)
            : new ConnectionPool(vertx, client.agent, targets.get(i), connectTimeoutMillis, maxConnections,
                maxWaitQueue, resources, this::poolDrained);
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
      resources.loopCreated();
    }

    /** Gives the pool of {@code target} (the same target object) to the next upstream's loop, or null. */
    private TargetPool handOver(UpstreamTarget target) {
      for (int i = 0; i < byTarget.length; i++) {
        if (targets.get(i) == target && !handedOver[i]) {
          handedOver[i] = true;
          return byTarget[i];
        }
      }
      return null;
    }

    /**
     * On this loop: stop keeping connections; close once every pool drained, checked now when
     * {@code checkNow} (nothing is about to use this share) or else at the next release.
     */
    void retiring(boolean checkNow) {
      if (!retiring) {
        retiring = true;
        for (int i = 0; i < byTarget.length; i++) {
          if (!handedOver[i]) {
            byTarget[i].retire(false);
          }
        }
      }
      if (checkNow) {
        poolDrained();
      }
    }

    private void poolDrained() {
      if (!retiring || loopClosed) {
        return;
      }
      for (int i = 0; i < byTarget.length; i++) {
        if (!handedOver[i] && !byTarget[i].isDrained()) {
          return;
        }
      }
      // Forget this share first, so a late request of the old snapshot builds a fresh one.
      loops.compareAndSet(index, this, null);
      closeHere();
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
      context.runOnContext(v -> closeHere());
    }

    private void closeHere() {
      if (loopClosed) {
        return;
      }
      loopClosed = true;
      vertx.cancelTimer(evictionTimer);
      for (int i = 0; i < byTarget.length; i++) {
        if (!handedOver[i]) {
          byTarget[i].close();
        }
      }
      if (--client.holders == 0) {
        client.agent.close();
      }
      resources.loopClosed();
    }
  }

  /** One loop's client, shared by a loop and the loop that took its pools over; on that loop only. */
  private static final class SharedClient {
    final HttpClientAgent agent;
    int holders = 1;

    SharedClient(HttpClientAgent agent) {
      this.agent = agent;
    }
  }
}
