package io.edgeway.proxy;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A route's upstream: its targets, balancer, timeouts and one pooled HTTP client per event loop
 * (created lazily by the loop that first uses it, so connections stay on that loop). Pool sizes are
 * explicit and the wait queue is bounded: saturation fails fast with 503, never queues forever.
 */
public final class Upstream {
  private final List<UpstreamTarget> targets;
  private final LoadBalancer balancer;
  private final long connectTimeoutMillis;
  private final long responseTimeoutMillis;
  private final long idleTimeoutMillis;
  private final int maxConnections;
  private final int maxWaitQueue;
  private final AtomicReferenceArray<HttpClientAgent> clients;
  private final TargetMonitor monitor;

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
    this.monitor = requireNonNull(monitor, "monitor");
    this.targets = List.copyOf(targets);
    this.balancer = requireNonNull(balancer, "balancer");
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.responseTimeoutMillis = responseTimeoutMillis;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.maxConnections = maxConnections;
    this.maxWaitQueue = maxWaitQueue;
    this.clients = new AtomicReferenceArray<>(eventLoops);
  }

  public List<UpstreamTarget> targets() {
    return targets;
  }

  public LoadBalancer balancer() {
    return balancer;
  }

  public long connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  public long responseTimeoutMillis() {
    return responseTimeoutMillis;
  }

  public long idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  /** Told the outcome of every attempt; closed with this upstream. */
  public TargetMonitor monitor() {
    return monitor;
  }

  /** The client of event loop {@code loopIndex}; only that loop calls this with its index. */
  HttpClientAgent client(Vertx vertx, int loopIndex) {
    HttpClientAgent client = clients.get(loopIndex);
    if (client == null) {
      client = vertx.httpClientBuilder()
          .with(new HttpClientOptions()
              .setKeepAlive(true)
              .setKeepAliveTimeout((int) Math.max(1, idleTimeoutMillis / 1000))
              .setConnectTimeout((int) connectTimeoutMillis)
              .setTcpNoDelay(true)
              .setMaxInitialLineLength(8192)
              .setMaxHeaderSize(32 * 1024)
              .setDecompressionSupported(false))
          .with(new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(maxWaitQueue))
          .build();
      clients.set(loopIndex, client);
    }
    return client;
  }

  /** Closes the pooled clients and the monitor (shutdown, or a reload that dropped this upstream). */
  public void close() {
    monitor.close();
    for (int i = 0; i < clients.length(); i++) {
      HttpClientAgent c = clients.getAndSet(i, null);
      if (c != null) {
        c.close();
      }
    }
  }
}
