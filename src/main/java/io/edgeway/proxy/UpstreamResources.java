package io.edgeway.proxy;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a gateway's upstreams hold open right now, counted where it is created and released:
 * upstreams not yet closed (each with its monitor: health-check timer and client), per-loop shares
 * (each with its eviction timer and HTTP client) and pooled connections. A reload that drops routes
 * must bring these back down; the reload tests and {@code GET /config} read them. Counting touches
 * an atomic only when one of these is created or closed, never per request.
 */
public final class UpstreamResources {
  private final AtomicInteger upstreams = new AtomicInteger();
  private final AtomicInteger loops = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();

  /** Upstreams built and not yet closed. */
  public int liveUpstreams() {
    return upstreams.get();
  }

  /** Per-event-loop shares of upstreams (client, pools, timers) not yet closed. */
  public int liveLoops() {
    return loops.get();
  }

  /** Upstream connections open now, over all upstreams and loops. */
  public int openConnections() {
    return connections.get();
  }

  void upstreamCreated() {
    upstreams.incrementAndGet();
  }

  void upstreamClosed() {
    upstreams.decrementAndGet();
  }

  void loopCreated() {
    loops.incrementAndGet();
  }

  void loopClosed() {
    loops.decrementAndGet();
  }

  void connectionOpened() {
    connections.incrementAndGet();
  }

  void connectionClosed() {
    connections.decrementAndGet();
  }
}
