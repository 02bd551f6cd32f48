package io.edgeway.resilience;

import io.vertx.core.Vertx;

/** One-shot timers, so ejection expiry can be driven by hand in tests. */
interface Timers {
  /** Runs {@code action} after {@code delayMillis}; returns an id for {@link #cancel}. */
  long schedule(long delayMillis, Runnable action);

  void cancel(long id);

  static Timers of(Vertx vertx) {
    return new Timers() {
      @Override
      public long schedule(long delayMillis, Runnable action) {
        return vertx.setTimer(Math.max(1, delayMillis), id -> action.run());
      }

      @Override
      public void cancel(long id) {
        vertx.cancelTimer(id);
      }
    };
  }
}
