package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.proxy.UpstreamResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * State shared by every event loop of one gateway process: the current route snapshot (swapped
 * atomically), the observers of completed exchanges, the metric sources, and readiness.
 */
public final class GatewayRuntime {
  private final AtomicReference<RouteSnapshot> snapshot;
  private final List<ExchangeObserver> observers = new CopyOnWriteArrayList<>();
  private final Map<String, BooleanSupplier> readinessChecks = new ConcurrentHashMap<>();
  private final List<MetricSource> metricSources = new CopyOnWriteArrayList<>();
  private volatile boolean ready;
  private final ConfigReloadStats reloadStats;
  private final UpstreamResources upstreamResources = new UpstreamResources();
  private volatile RequestTracer tracer = RequestTracer.NONE;

  public GatewayRuntime(RouteSnapshot initial) {
    this.snapshot = new AtomicReference<>(requireNonNull(initial, "initial"));
    this.reloadStats = new ConfigReloadStats(new ConfigVersion("unknown", initial.source(), initial.loadedAt()));
  }

  /** Reload counters, the last attempt and the running version (admin API, metrics). */
  public ConfigReloadStats reloadStats() {
    return reloadStats;
  }

  /** What the upstreams of every snapshot hold open now: a reload must bring it back down. */
  public UpstreamResources upstreamResources() {
    return upstreamResources;
  }

  public RouteSnapshot snapshot() {
    return snapshot.get();
  }

  /** Installs a new snapshot and returns the previous one (to be closed once drained). */
  public RouteSnapshot swap(RouteSnapshot next) {
    return snapshot.getAndSet(requireNonNull(next, "next"));
  }

  /** The tracer every request asks first; {@link RequestTracer#NONE} unless a module installed one. */
  public RequestTracer tracer() {
    return tracer;
  }

  /** Installs the tracer (at start-up, before the listeners open). */
  public void tracer(RequestTracer tracer) {
    this.tracer = requireNonNull(tracer, "tracer");
  }

  public void addObserver(ExchangeObserver observer) {
    observers.add(requireNonNull(observer, "observer"));
  }

  public List<ExchangeObserver> observers() {
    return observers;
  }

  /**
   * Adds numbers a module exposes to the metrics exporter (whichever module exports them); the
   * exporter reads them at every scrape, off the request path.
   */
  public void addMetricSource(MetricSource source) {
    metricSources.add(requireNonNull(source, "source"));
  }

  /** The registered metric sources, in registration order. */
  public List<MetricSource> metricSources() {
    return metricSources;
  }

  /**
   * Adds a condition readiness depends on (e.g. a JWKS loaded at least once): {@code GET /ready}
   * answers 503 while any check is false. Checks are called off the request path and must be
   * cheap and non-blocking.
   */
  public void addReadinessCheck(String name, BooleanSupplier check) {
    readinessChecks.put(requireNonNull(name, "name"), requireNonNull(check, "check"));
  }

  /** Drops a readiness check (a reload removed what it watched). */
  public void removeReadinessCheck(String name) {
    readinessChecks.remove(requireNonNull(name, "name"));
  }

  /** True once the listeners are bound and every readiness check passes. */
  public boolean isReady() {
    return ready && notReadyReasons().isEmpty();
  }

  /** The names of the readiness checks that currently fail, sorted. */
  public List<String> notReadyReasons() {
    List<String> failing = new ArrayList<>();
    readinessChecks.forEach((name, check) -> {
      if (!check.getAsBoolean()) {
        failing.add(name);
      }
    });
    failing.sort(null);
    return failing;
  }

  public void setReady(boolean ready) {
    this.ready = ready;
  }
}
