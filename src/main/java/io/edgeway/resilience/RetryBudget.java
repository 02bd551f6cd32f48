package io.edgeway.resilience;

import java.util.function.LongSupplier;

/**
 * Bounds retries to a share of the requests over a rolling window (plus a small floor), so a
 * failing upstream sees at most {@code 1 + budget} times its normal load, not a retry storm.
 * Lock-free; under contention a few retries more than the exact bound may slip through.
 */
final class RetryBudget {
  private static final int REQUEST = 0;
  private static final int RETRY = 1;

  private final RollingWindow window;
  private final double share;
  private final int minRetries;

  RetryBudget(double share, int minRetries, long windowNanos, LongSupplier nanoClock) {
    this.window = new RollingWindow(windowNanos, 10, 2, nanoClock);
    this.share = share;
    this.minRetries = minRetries;
  }

  void onRequest() {
    window.add(REQUEST);
  }

  /** Takes one retry from the budget; false when it is spent. */
  boolean tryRetry() {
    int[] sums = window.sums();
    long allowed = Math.max(minRetries, (long) Math.floor(share * sums[REQUEST]));
    if (sums[RETRY] >= allowed) {
      return false;
    }
    window.add(RETRY);
    return true;
  }
}
