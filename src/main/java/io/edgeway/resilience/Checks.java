package io.edgeway.resilience;

import java.time.Duration;

/** Validation shared by the resilience config records; messages start with the key. */
final class Checks {
  private Checks() {}

  static int range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + ": " + value + " (expected: an integer from " + min + " to " + max + ")");
    }
    return value;
  }

  static Duration atLeast(String key, Duration value, Duration min) {
    if (value.compareTo(min) < 0) {
      throw new IllegalArgumentException(key + ": " + value.toMillis() + "ms (expected: a duration >= "
          + min.toMillis() + "ms such as 250ms, 5s)");
    }
    return value;
  }
}
