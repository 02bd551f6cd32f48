package io.edgeway.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock a test moves by hand, for filters that read time through {@code FilterContext.clock()}
 * (token windows, expiries, time-of-day rules): no sleeps, no flaky timing. Thread-safe, since a
 * gateway reads it from its event loops.
 */
public final class ManualClock extends Clock {
  private final AtomicLong millis;

  /**
   * A clock standing at {@code start}.
   *
   * @param start the initial instant
   */
  public ManualClock(Instant start) {
    this.millis = new AtomicLong(requireNonNull(start, "start").toEpochMilli());
  }

  /** A clock standing at 2026-01-01T00:00:00Z. */
  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * Moves the clock forward.
   *
   * @param amount how far (not negative)
   * @return this clock
   */
  public ManualClock advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount: " + amount + " (expected: not negative)");
    }
    millis.addAndGet(amount.toMillis());
    return this;
  }

  /**
   * Sets the clock to an instant (also backwards, to test a clock step).
   *
   * @param instant the new time
   * @return this clock
   */
  public ManualClock set(Instant instant) {
    millis.set(requireNonNull(instant, "instant").toEpochMilli());
    return this;
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (ZoneOffset.UTC.equals(zone)) {
      return this;
    }
    throw new UnsupportedOperationException("ManualClock is UTC only");
  }
}
