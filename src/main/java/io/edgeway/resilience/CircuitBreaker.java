package io.edgeway.resilience;

import static java.util.Objects.requireNonNull;

import io.edgeway.runtime.MetricSink;
import io.edgeway.runtime.StateEvents;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One route's circuit breaker: a small lock-free state machine shared by all event loops.
 *
 * <p>Closed: every call is let through and its outcome counted in a rolling window; the breaker
 * opens when, with at least {@code minimum-calls} in the window, the failure rate or the slow-call
 * rate reaches its threshold, or after {@code consecutive-failures} failures in a row. Open: calls
 * are refused until {@code open-for} has passed; the first call after that moves it to half-open.
 * Half-open: at most {@code half-open-calls} probes are let through; one failure opens it again,
 * all of them succeeding closes it with a fresh window.
 *
 * <p>Each state is an immutable {@link Phase} object swapped by compare-and-set; a call reports its
 * outcome to the phase that admitted it, so a late answer from before a transition never moves the
 * new state. The closed path costs one volatile read to admit and a few atomic increments to
 * report. (vertx-circuit-breaker was not used: it counts failures only, with no failure rate over
 * a minimum number of calls, no slow-call rate and a single half-open probe.)
 */
final class CircuitBreaker {
  private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);
  private static final int CALL = 0;
  private static final int FAILURE = 1;
  private static final int SLOW = 2;

  /** The three states, named as in the admin API, events and the breaker-state attribute. */
  enum State {
    CLOSED("closed"), OPEN("open"), HALF_OPEN("half-open");

    final String label;

    State(String label) {
      this.label = label;
    }
  }

  /** One stay in a state. Half-open phases carry their own probe counters. */
  static final class Phase {
    final State state;
    final long sinceNanos;
    final AtomicInteger permits = new AtomicInteger();
    final AtomicInteger successes = new AtomicInteger();

    Phase(State state, long sinceNanos) {
      this.state = state;
      this.sinceNanos = sinceNanos;
    }
  }

  private final String routeId;
  private final CircuitBreakerConfig config;
  private final LongSupplier nanoClock;
  private final StateEvents events;
  private final long openForNanos;
  private final long slowNanos;
  private final double slowRate;
  private final double failureRate;
  private final int minimumCalls;
  private final int consecutiveLimit;
  private final int halfOpenCalls;
  private final RollingWindow window;
  private final AtomicReference<Phase> phase;
  private final AtomicInteger consecutive = new AtomicInteger();
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong halfOpened = new AtomicLong();
  private final AtomicLong closed = new AtomicLong();
  private final LongAdder rejected = new LongAdder();
  private volatile String lastOpenReason;

  CircuitBreaker(String routeId, CircuitBreakerConfig config, LongSupplier nanoClock, StateEvents events) {
    this.routeId = requireNonNull(routeId, "routeId");
    this.config = requireNonNull(config, "config");
    this.nanoClock = requireNonNull(nanoClock, "nanoClock");
    this.events = events;
    this.openForNanos = config.openFor().toNanos();
    this.slowNanos = config.slowCall() == null ? Long.MAX_VALUE : config.slowCall().threshold().toNanos();
    this.slowRate = config.slowCall() == null ? 2 : config.slowCall().rate().fraction();
    this.failureRate = config.failureRate().fraction();
    this.minimumCalls = config.minimumCalls();
    this.consecutiveLimit = config.consecutiveFailures() == null ? Integer.MAX_VALUE : config.consecutiveFailures();
    this.halfOpenCalls = config.halfOpenCalls();
    this.window = new RollingWindow(config.window().toNanos(), 10, 3, nanoClock);
    this.phase = new AtomicReference<>(new Phase(State.CLOSED, nanoClock.getAsLong()));
  }

  String routeId() {
    return routeId;
  }

  CircuitBreakerConfig config() {
    return config;
  }

  long nanoTime() {
    return nanoClock.getAsLong();
  }

  /** The current state (an open breaker whose open-for has passed still reads open until a call arrives). */
  State state() {
    return phase.get().state;
  }

  /**
   * Admits a call: the phase to report its outcome to, or null when the breaker refuses it
   * (open, or half-open with all probes taken).
   */
  Phase tryAcquire() {
    Phase p = phase.get();
    if (p.state == State.CLOSED) {
      return p;
    }
    if (p.state == State.OPEN) {
      long now = nanoClock.getAsLong();
      if (now - p.sinceNanos < openForNanos) {
        rejected.increment();
        return null;
      }
      Phase half = new Phase(State.HALF_OPEN, now);
      if (phase.compareAndSet(p, half)) {
        halfOpened.incrementAndGet();
        transition(State.HALF_OPEN, "open-for elapsed", Map.of("openForMs", config.openFor().toMillis()));
      }
      p = phase.get();
      if (p.state == State.CLOSED) {
        return p;
      }
      if (p.state == State.OPEN) {
        rejected.increment();
        return null;
      }
    }
    for (int n = p.permits.get(); n < halfOpenCalls; n = p.permits.get()) {
      if (p.permits.compareAndSet(n, n + 1)) {
        return p;
      }
    }
    rejected.increment();
    return null;
  }

  /** Seconds a refused client should wait before trying again (at least 1). */
  long retryAfterSeconds() {
    Phase p = phase.get();
    if (p.state != State.OPEN) {
      return 1;
    }
    long left = openForNanos - (nanoClock.getAsLong() - p.sinceNanos);
    return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
  }

  /** The upstream answered well (or with a client error) after {@code nanos}. */
  void onSuccess(Phase p, long nanos) {
    boolean slow = nanos >= slowNanos;
    if (p.state == State.HALF_OPEN) {
      if (slow) {
        onHalfOpenFailure(p, "slow probe");
      } else if (p.successes.incrementAndGet() >= halfOpenCalls && phase.compareAndSet(p,
          new Phase(State.CLOSED, nanoClock.getAsLong()))) {
        window.reset();
        consecutive.set(0);
        closed.incrementAndGet();
        transition(State.CLOSED, "half-open probes succeeded", Map.of("probes", halfOpenCalls));
      }
      return;
    }
    if (p.state != State.CLOSED || phase.get() != p) {
      return;
    }
    window.add(CALL);
    if (consecutive.get() != 0) {
      consecutive.set(0);
    }
    if (slow) {
      window.add(SLOW);
      judge(p);
    }
  }

  /** The call failed (connect failure, timeout, failure status) after {@code nanos}. */
  void onFailure(Phase p, long nanos) {
    if (p.state == State.HALF_OPEN) {
      onHalfOpenFailure(p, "half-open probe failed");
      return;
    }
    if (p.state != State.CLOSED || phase.get() != p) {
      return;
    }
    window.add(CALL);
    window.add(FAILURE);
    if (nanos >= slowNanos) {
      window.add(SLOW);
    }
    int inARow = consecutive.incrementAndGet();
    if (inARow >= consecutiveLimit) {
      trip(p, "consecutive-failures", Map.of("consecutiveFailures", inARow));
      return;
    }
    judge(p);
  }

  /** The call ended in a way that says nothing about the upstream; a half-open probe is given back. */
  void onIgnored(Phase p) {
    if (p.state == State.HALF_OPEN) {
      p.permits.decrementAndGet();
    }
  }

  private void onHalfOpenFailure(Phase p, String reason) {
    trip(p, reason, Map.of());
  }

  private void judge(Phase p) {
    int[] sums = window.sums();
    int calls = sums[CALL];
    if (calls < minimumCalls) {
      return;
    }
    if (sums[FAILURE] >= failureRate * calls) {
      trip(p, "failure-rate", Map.of("calls", calls, "failures", sums[FAILURE]));
    } else if (sums[SLOW] >= slowRate * calls) {
      trip(p, "slow-call-rate", Map.of("calls", calls, "slowCalls", sums[SLOW]));
    }
  }

  private void trip(Phase from, String reason, Map<String, Object> detail) {
    if (phase.compareAndSet(from, new Phase(State.OPEN, nanoClock.getAsLong()))) {
      opened.incrementAndGet();
      lastOpenReason = reason;
      Map<String, Object> data = new LinkedHashMap<>(detail);
      data.put("openForMs", config.openFor().toMillis());
      transition(State.OPEN, reason, data);
    }
  }

  private void transition(State to, String reason, Map<String, Object> detail) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("route", routeId);
    data.put("state", to.label);
    data.put("reason", reason);
    data.putAll(detail);
    if (to == State.OPEN) {
      log.warn("circuit breaker of route {} opened: {} {}", routeId, reason, detail);
    } else {
      log.info("circuit breaker of route {} is {}: {}", routeId, to.label, reason);
    }
    if (events != null) {
      String type = switch (to) {
        case OPEN -> "circuit.opened";
        case HALF_OPEN -> "circuit.half-opened";
        case CLOSED -> "circuit.closed";
      };
      try {
        events.publish(type, routeId, data);
      } catch (RuntimeException e) {
        log.warn("state event {} for route {} failed: {}", type, routeId, e.toString());
      }
    }
  }

  /** Exported as metrics: state as a number, transitions into each state, calls refused. */
  void collect(MetricSink sink) {
    State state = phase.get().state;
    sink.gauge("edgeway_circuit_breaker_state", "Circuit breaker state: 0 closed, 1 open, 2 half-open",
        state == State.CLOSED ? 0 : state == State.OPEN ? 1 : 2, "route", routeId);
    String help = "Circuit breaker transitions, by the state entered";
    sink.counter("edgeway_circuit_breaker_transitions_total", help, opened.get(), "route", routeId, "to", "open");
    sink.counter("edgeway_circuit_breaker_transitions_total", help, halfOpened.get(), "route", routeId,
        "to", "half-open");
    sink.counter("edgeway_circuit_breaker_transitions_total", help, closed.get(), "route", routeId, "to", "closed");
    sink.counter("edgeway_circuit_breaker_rejected_total", "Calls the breaker refused (503 circuit_open)",
        rejected.sum(), "route", routeId);
  }

  /** What the admin API shows. */
  Map<String, Object> describe() {
    Phase p = phase.get();
    int[] sums = window.sums();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("route", routeId);
    out.put("state", p.state.label);
    out.put("sinceMs", (nanoClock.getAsLong() - p.sinceNanos) / 1_000_000);
    if (p.state == State.OPEN) {
      out.put("retryAfterSeconds", retryAfterSeconds());
      out.put("reason", lastOpenReason);
    }
    if (p.state == State.HALF_OPEN) {
      out.put("probesStarted", Math.min(p.permits.get(), halfOpenCalls));
      out.put("probesSucceeded", p.successes.get());
    }
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("calls", sums[CALL]);
    w.put("failures", sums[FAILURE]);
    w.put("slowCalls", sums[SLOW]);
    w.put("consecutiveFailures", consecutive.get());
    out.put("window", w);
    Map<String, Object> counters = new LinkedHashMap<>();
    counters.put("opened", opened.get());
    counters.put("halfOpened", halfOpened.get());
    counters.put("closed", closed.get());
    out.put("transitions", counters);
    out.put("rejected", rejected.sum());
    return out;
  }
}
