package io.edgeway.ratelimit;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A lock-free breaker around the rate-limit store: after {@code threshold} consecutive failures
 * it opens for {@code coolDown}, during which callers skip the store; then one probe call goes
 * through (the others keep skipping): its success closes the breaker, its failure opens it for
 * another cool-down. The listener hears each transition once.
 */
final class StoreBreaker {
  /** Hears transitions; called on the thread that caused them; must not block. */
  interface Listener {
    void opened(Throwable cause);

    void closed();
  }

  private static final long CLOSED = Long.MIN_VALUE;

  private final int threshold;
  private final long coolDownNanos;
  private final LongSupplier nanoClock;
  private final Listener listener;
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicLong openUntil = new AtomicLong(CLOSED);
  private final AtomicBoolean probing = new AtomicBoolean();

  StoreBreaker(int threshold, long coolDownNanos, LongSupplier nanoClock, Listener listener) {
    this.threshold = threshold;
    this.coolDownNanos = coolDownNanos;
    this.nanoClock = nanoClock;
    this.listener = listener;
  }

  /** True when the caller may use the store now (closed, or this caller is the probe). */
  boolean allowRequest() {
    long until = openUntil.get();
    if (until == CLOSED) {
      return true;
    }
    if (nanoClock.getAsLong() - until < 0) {
      return false;
    }
    return probing.compareAndSet(false, true);
  }

  void onSuccess() {
    failures.set(0);
    long until = openUntil.get();
    if (until != CLOSED && openUntil.compareAndSet(until, CLOSED)) {
      probing.set(false);
      listener.closed();
    }
  }

  void onFailure(Throwable cause) {
    long until = openUntil.get();
    if (until != CLOSED) {
      // A failed probe (or a late failure of a call started before opening): wait again.
      openUntil.compareAndSet(until, nanoClock.getAsLong() + coolDownNanos);
      probing.set(false);
      return;
    }
    if (failures.incrementAndGet() >= threshold
        && openUntil.compareAndSet(CLOSED, nanoClock.getAsLong() + coolDownNanos)) {
      listener.opened(cause);
    }
  }

  /**
   * {@code closed}; {@code open} while callers skip the store; {@code half-open} once the
   * cool-down is over (the next caller, or the one already trying, is the probe).
   */
  String state() {
    long until = openUntil.get();
    if (until == CLOSED) {
      return "closed";
    }
    return probing.get() || nanoClock.getAsLong() - until >= 0 ? "half-open" : "open";
  }

  int threshold() {
    return threshold;
  }

  long coolDownNanos() {
    return coolDownNanos;
  }

  boolean isOpen() {
    return openUntil.get() != CLOSED;
  }

  int consecutiveFailures() {
    return failures.get();
  }
}
