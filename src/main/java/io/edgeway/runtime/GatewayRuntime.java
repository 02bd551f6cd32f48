package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * State shared by every event loop of one gateway process: the current route snapshot (swapped
 * atomically), the observers of completed exchanges, and readiness.
 */
public final class GatewayRuntime {
  private final AtomicReference<RouteSnapshot> snapshot;
  private final List<ExchangeObserver> observers = new CopyOnWriteArrayList<>();
  private volatile boolean ready;

  public GatewayRuntime(RouteSnapshot initial) {
    this.snapshot = new AtomicReference<>(requireNonNull(initial, "initial"));
  }

  public RouteSnapshot snapshot() {
    return snapshot.get();
  }

  /** Installs a new snapshot and returns the previous one (to be closed once drained). */
  public RouteSnapshot swap(RouteSnapshot next) {
    return snapshot.getAndSet(requireNonNull(next, "next"));
  }

  public void addObserver(ExchangeObserver observer) {
    observers.add(requireNonNull(observer, "observer"));
  }

  public List<ExchangeObserver> observers() {
    return observers;
  }

  public boolean isReady() {
    return ready;
  }

  public void setReady(boolean ready) {
    this.ready = ready;
  }
}
