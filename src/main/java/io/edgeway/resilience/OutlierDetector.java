package io.edgeway.resilience;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.OutlierDetectionConfig;
import io.edgeway.proxy.UpstreamTarget;
import io.edgeway.runtime.StateEvents;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive outlier detection for one upstream (a per-target breaker): {@code consecutive-failures}
 * failed attempts in a row eject a target for {@code base-ejection x times ejected} (capped at
 * {@code max-ejection-multiplier}); a timer puts it back. At most {@code max-ejected} of the
 * targets (rounded down) are out at once, counted across all event loops with one atomic counter.
 * The multiplier starts again from 1 once a target stayed in for the longest ejection time.
 */
final class OutlierDetector {
  private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

  static final class TargetStats {
    final AtomicInteger consecutive = new AtomicInteger();
    final AtomicInteger timesEjected = new AtomicInteger();
    final AtomicLong ejections = new AtomicLong();
    volatile long ejectedUntilMillis;
    volatile long restoredAtNanos = Long.MIN_VALUE / 2;
    volatile long timerId = -1;
  }

  private final String routeId;
  private final int threshold;
  private final long baseMillis;
  private final int maxMultiplier;
  private final int maxEjected;
  private final Map<UpstreamTarget, TargetStats> stats;
  private final AtomicInteger ejected = new AtomicInteger();
  private final LongSupplier nanoClock;
  private final Timers timers;
  private final StateEvents events;
  private volatile boolean closed;

  OutlierDetector(String routeId, List<UpstreamTarget> targets, OutlierDetectionConfig config, LongSupplier nanoClock,
      Timers timers, StateEvents events) {
    this.routeId = requireNonNull(routeId, "routeId");
    this.threshold = config.consecutiveFailures();
    this.baseMillis = config.baseEjection().toMillis();
    this.maxMultiplier = config.maxEjectionMultiplier();
    this.maxEjected = (int) Math.floor(targets.size() * config.maxEjected().fraction() + 1e-9);
    Map<UpstreamTarget, TargetStats> map = new IdentityHashMap<>();
    targets.forEach(t -> map.put(t, new TargetStats()));
    this.stats = map;
    this.nanoClock = nanoClock;
    this.timers = timers;
    this.events = events;
  }

  void succeeded(UpstreamTarget target) {
    TargetStats s = stats.get(target);
    if (s != null && s.consecutive.get() != 0) {
      s.consecutive.set(0);
    }
  }

  void failed(UpstreamTarget target) {
    TargetStats s = stats.get(target);
    if (s == null) {
      return;
    }
    int inARow = s.consecutive.incrementAndGet();
    if (inARow >= threshold && !target.isEjected() && !closed) {
      eject(target, s, inARow);
    }
  }

  private void eject(UpstreamTarget target, TargetStats s, int inARow) {
    for (int n = ejected.get(); ; n = ejected.get()) {
      if (n >= maxEjected) {
        log.debug("route {}: target {} not ejected, {} of {} targets already out (max-ejected)", routeId, target,
            n, stats.size());
        return;
      }
      if (ejected.compareAndSet(n, n + 1)) {
        break;
      }
    }
    if (!target.markEjected(true)) {
      ejected.decrementAndGet();
      return;
    }
    long now = nanoClock.getAsLong();
    if (now - s.restoredAtNanos > baseMillis * maxMultiplier * 1_000_000L) {
      s.timesEjected.set(0);
    }
    int times = s.timesEjected.incrementAndGet();
    long millis = baseMillis * Math.min(times, maxMultiplier);
    s.consecutive.set(0);
    s.ejections.incrementAndGet();
    s.ejectedUntilMillis = System.currentTimeMillis() + millis;
    log.warn("route {}: target {} ejected for {} ms after {} consecutive failures (ejection #{})", routeId, target,
        millis, inARow, times);
    publish("target.ejected", target, Map.of("route", routeId, "reason", "outlier-detection",
        "consecutiveFailures", inARow, "ejectionMs", millis, "timesEjected", times));
    s.timerId = timers.schedule(millis, () -> restore(target, s));
  }

  private void restore(UpstreamTarget target, TargetStats s) {
    s.timerId = -1;
    if (target.markEjected(false)) {
      ejected.decrementAndGet();
      s.restoredAtNanos = nanoClock.getAsLong();
      s.consecutive.set(0);
      s.ejectedUntilMillis = 0;
      log.info("route {}: target {} restored after its ejection", routeId, target);
      publish("target.restored", target, Map.of("route", routeId, "reason", "ejection-expired"));
    }
  }

  private void publish(String type, UpstreamTarget target, Map<String, Object> data) {
    TargetEvents.publish(events, log, type, target, data);
  }

  Map<String, Object> describe(UpstreamTarget target) {
    TargetStats s = stats.get(target);
    Map<String, Object> out = new LinkedHashMap<>();
    if (s == null) {
      return out;
    }
    out.put("consecutiveFailures", s.consecutive.get());
    out.put("ejections", s.ejections.get());
    out.put("timesEjected", s.timesEjected.get());
    if (target.isEjected()) {
      out.put("ejectedUntil", java.time.Instant.ofEpochMilli(s.ejectedUntilMillis).toString());
    }
    return out;
  }

  /**
   * Carries over {@code previous}'s state of the targets both detectors watch (the same objects):
   * failure counts and ejection history, and an ejection in progress, whose restore this detector
   * now schedules for the time left. {@code previous} ejects nothing from here on and is closed
   * next; a target this detector ejected meanwhile keeps this detector's state.
   */
  void takeOver(OutlierDetector previous) {
    previous.closed = true;
    for (Map.Entry<UpstreamTarget, TargetStats> e : previous.stats.entrySet()) {
      UpstreamTarget target = e.getKey();
      TargetStats mine = stats.get(target);
      TargetStats theirs = e.getValue();
      if (mine == null || mine.timerId >= 0) {
        continue;
      }
      mine.consecutive.set(theirs.consecutive.get());
      mine.timesEjected.set(theirs.timesEjected.get());
      mine.ejections.set(theirs.ejections.get());
      mine.restoredAtNanos = theirs.restoredAtNanos;
      long timer = theirs.timerId;
      if (timer >= 0 && target.isEjected()) {
        // The old restore would count on the old detector: cancel it and restore from here.
        theirs.timerId = -1;
        previous.timers.cancel(timer);
        previous.ejected.decrementAndGet();
        ejected.incrementAndGet();
        mine.ejectedUntilMillis = theirs.ejectedUntilMillis;
        long left = Math.max(1, theirs.ejectedUntilMillis - System.currentTimeMillis());
        mine.timerId = timers.schedule(left, () -> {
          if (target.isEjected()) {
            restore(target, mine);
          } else {
            // The old restore fired while it was being cancelled: only this count is left to undo.
            mine.timerId = -1;
            ejected.decrementAndGet();
          }
        });
      }
    }
  }

  int maxEjected() {
    return maxEjected;
  }

  void close() {
    closed = true;
    for (TargetStats s : stats.values()) {
      long id = s.timerId;
      if (id >= 0) {
        timers.cancel(id);
      }
    }
  }
}
