package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reload statistics of one gateway, for {@code GET /config}, metrics and tests: how many reloads
 * were attempted, applied and failed, the last attempt, and the version running now. Written by
 * the one reload thread, read from anywhere (no locks: atomics and immutable values).
 */
public final class ConfigReloadStats {

  /** How a reload attempt ended. */
  public enum Outcome {
    /** The new configuration is serving. */
    APPLIED,
    /** The file is the one already running: nothing to do (counted as a success). */
    UNCHANGED,
    /** Invalid, or a change that needs a restart: the running configuration is untouched. */
    FAILED;

    /** {@code applied}, {@code unchanged}, {@code failed}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One reload attempt.
   *
   * @param at when it ended
   * @param trigger what asked for it: {@code file-change}, {@code SIGHUP}, {@code admin}
   * @param outcome how it ended
   * @param hash the hash of the text it read, null when the file could not be read
   * @param errors every error, {@code file:line:col: key: value (expected: ...)}; empty unless failed
   */
  public record Attempt(Instant at, String trigger, Outcome outcome, String hash, List<String> errors) {
    public Attempt {
      requireNonNull(at, "at");
      requireNonNull(trigger, "trigger");
      requireNonNull(outcome, "outcome");
      errors = List.copyOf(errors);
    }
  }

  private final AtomicLong attempts = new AtomicLong();
  private final AtomicLong successes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicReference<Attempt> lastAttempt = new AtomicReference<>();
  private final AtomicReference<ConfigVersion> running;

  public ConfigReloadStats(ConfigVersion initial) {
    this.running = new AtomicReference<>(requireNonNull(initial, "initial"));
  }

  /** Records an attempt; an applied one also becomes the running version. */
  void record(Attempt attempt, ConfigVersion appliedVersion) {
    requireNonNull(attempt, "attempt");
    attempts.incrementAndGet();
    if (attempt.outcome() == Outcome.FAILED) {
      failures.incrementAndGet();
    } else {
      successes.incrementAndGet();
    }
    if (appliedVersion != null) {
      running.set(appliedVersion);
    }
    lastAttempt.set(attempt);
  }

  /** The version serving once start-up applied it (not a reload: nothing is counted). */
  void started(ConfigVersion version) {
    running.set(requireNonNull(version, "version"));
  }

  /** Reloads attempted since start (successes + failures). */
  public long attempts() {
    return attempts.get();
  }

  /** Reloads that applied a configuration or found it unchanged. */
  public long successes() {
    return successes.get();
  }

  /** Reloads refused: invalid file, or a change that needs a restart. */
  public long failures() {
    return failures.get();
  }

  /** The last attempt, null before the first. */
  public Attempt lastAttempt() {
    return lastAttempt.get();
  }

  /** The configuration serving now. */
  public ConfigVersion running() {
    return running.get();
  }
}
