package io.edgeway.resilience;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * Counts events of a few kinds over a rolling time window, split into a ring of buckets. Shared by
 * all event loops and lock-free: a bucket that belongs to an expired period is replaced by a
 * fresh one with one compare-and-set; counting is one atomic increment. An increment racing
 * with the replacement of its bucket may be lost, which only makes the window a few events short.
 */
final class RollingWindow {
  private final int kinds;
  private final long bucketNanos;
  private final LongSupplier nanoClock;
  private final AtomicReferenceArray<Bucket> buckets;

  private static final class Bucket {
    final long period;
    final AtomicInteger[] counts;

    Bucket(long period, int kinds) {
      this.period = period;
      this.counts = new AtomicInteger[kinds];
      for (int i = 0; i < kinds; i++) {
        counts[i] = new AtomicInteger();
      }
    }
  }

  /**
   * @param windowNanos the window length
   * @param bucketCount how many buckets the window is split into (its resolution)
   * @param kinds how many kinds of events are counted (indexes 0..kinds-1)
   * @param nanoClock the clock, {@link System#nanoTime()} outside tests
   */
  RollingWindow(long windowNanos, int bucketCount, int kinds, LongSupplier nanoClock) {
    if (windowNanos <= 0 || bucketCount <= 0) {
      throw new IllegalArgumentException("window and bucket count must be positive");
    }
    this.kinds = kinds;
    this.bucketNanos = Math.max(1, windowNanos / bucketCount);
    this.nanoClock = requireNonNull(nanoClock, "nanoClock");
    this.buckets = new AtomicReferenceArray<>(bucketCount);
  }

  /** Counts one event of {@code kind} now. */
  void add(int kind) {
    long period = Math.floorDiv(nanoClock.getAsLong(), bucketNanos);
    int slot = (int) Math.floorMod(period, (long) buckets.length());
    Bucket b = buckets.get(slot);
    if (b == null || b.period != period) {
      Bucket fresh = new Bucket(period, kinds);
      if (buckets.compareAndSet(slot, b, fresh)) {
        b = fresh;
      } else {
        b = buckets.get(slot);
        if (b.period != period) {
          return; // a slower thread from an older period; dropping one stale count is fine
        }
      }
    }
    b.counts[kind].incrementAndGet();
  }

  /** The number of events of each kind inside the window ending now. */
  int[] sums() {
    long period = Math.floorDiv(nanoClock.getAsLong(), bucketNanos);
    long oldest = period - buckets.length() + 1;
    int[] sums = new int[kinds];
    for (int i = 0; i < buckets.length(); i++) {
      Bucket b = buckets.get(i);
      if (b != null && b.period >= oldest && b.period <= period) {
        for (int k = 0; k < kinds; k++) {
          sums[k] += b.counts[k].get();
        }
      }
    }
    return sums;
  }

  /** Forgets everything (a breaker closing starts a fresh window). */
  void reset() {
    for (int i = 0; i < buckets.length(); i++) {
      buckets.set(i, null);
    }
  }
}
