package io.edgeway.proxy;

/**
 * Watches an upstream's targets: told the outcome of every attempt (passive outlier detection),
 * and closed with the upstream (stops active health checks). Called on event loops, from many at
 * once: implementations are thread-safe, lock-free and cheap.
 */
public interface TargetMonitor {

  /** A monitor that does nothing (no outlier detection, no health checks). */
  TargetMonitor NONE = new TargetMonitor() {
    @Override
    public void attemptSucceeded(UpstreamTarget target) {}

    @Override
    public void attemptFailed(UpstreamTarget target) {}
  };

  /** The target answered with a status below 500. */
  void attemptSucceeded(UpstreamTarget target);

  /** The attempt failed to connect, was reset or timed out, or the target answered 5xx. */
  void attemptFailed(UpstreamTarget target);

  /**
   * A reload replaced {@code previous}'s upstream by this monitor's, sharing the target objects
   * whose definition did not change: carry over what {@code previous} knows of them (an ejection
   * and its remaining time, failure counts). Called once, before {@code previous} is closed.
   */
  default void takeOver(TargetMonitor previous) {}

  /** Stops timers and clients (shutdown, or a reload that dropped the upstream). */
  default void close() {}
}
