package io.edgeway.resilience;

import io.edgeway.spi.DataSize;
import io.edgeway.spi.Percentage;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Configuration of the {@code retry} filter.
 *
 * @param attempts attempts in total, the first included (3 = up to 2 retries); default 3
 * @param on causes retried: {@code connect-failure} (refused or reset before a response),
 *     {@code timeout} (no response headers within the per-try timeout), and response statuses
 *     (408, 429, 5xx); default connect-failure, timeout, 502, 503, 504
 * @param methods methods retried; default GET, HEAD, OPTIONS, PUT, DELETE (POST and PATCH only
 *     when listed)
 * @param backoff delay before a retry; default 25ms doubling up to 500ms, with jitter
 * @param perTryTimeout response timeout of each attempt; default the upstream's response timeout
 * @param budget retries may add at most this share of the requests seen in the budget window;
 *     default 20%
 * @param budgetMinRetries retries always allowed per budget window, whatever the share (so a
 *     quiet route can still retry); default 3
 * @param budgetWindow the rolling window of the budget; default 10s
 * @param maxBufferedBody a request body up to this size (by Content-Length) is buffered once so
 *     it can be sent again; larger or chunked bodies are sent once, without retries; default 64KiB
 */
public record RetryConfig(
    Integer attempts,
    List<String> on,
    List<String> methods,
    BackoffConfig backoff,
    Duration perTryTimeout,
    Percentage budget,
    Integer budgetMinRetries,
    Duration budgetWindow,
    DataSize maxBufferedBody) {

  static final String CONNECT_FAILURE = "connect-failure";
  static final String TIMEOUT = "timeout";

  public RetryConfig {
    attempts = attempts == null ? 3 : Checks.range("attempts", attempts, 1, 10);
    on = on == null ? List.of(CONNECT_FAILURE, TIMEOUT, "502", "503", "504") : List.copyOf(on);
    for (int i = 0; i < on.size(); i++) {
      String cause = on.get(i).trim().toLowerCase(Locale.ROOT);
      if (!cause.equals(CONNECT_FAILURE) && !cause.equals(TIMEOUT) && status(cause) < 0) {
        throw new IllegalArgumentException("on[" + i + "]: " + on.get(i)
            + " (expected: connect-failure, timeout, 408, 429 or a 5xx status)");
      }
    }
    methods = methods == null ? List.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE") : List.copyOf(methods);
    for (int i = 0; i < methods.size(); i++) {
      String m = methods.get(i);
      if (m.isEmpty() || !m.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
        throw new IllegalArgumentException("methods[" + i + "]: " + m + " (expected: an upper-case method such as GET)");
      }
    }
    backoff = backoff == null ? new BackoffConfig(null, null, null) : backoff;
    if (perTryTimeout != null) {
      Checks.atLeast("per-try-timeout", perTryTimeout, Duration.ofMillis(1));
    }
    budget = budget == null ? new Percentage(20) : budget;
    budgetMinRetries = budgetMinRetries == null ? 3 : Checks.range("budget-min-retries", budgetMinRetries, 0, 1_000_000);
    budgetWindow = budgetWindow == null ? Duration.ofSeconds(10)
        : Checks.atLeast("budget-window", budgetWindow, Duration.ofMillis(100));
    maxBufferedBody = maxBufferedBody == null ? DataSize.ofBytes(64 * 1024) : maxBufferedBody;
    if (maxBufferedBody.bytes() > 16L * 1024 * 1024) {
      throw new IllegalArgumentException("max-buffered-body: " + maxBufferedBody + " (expected: at most 16MiB)");
    }
  }

  /** The status named by a cause, or -1. */
  static int status(String cause) {
    try {
      int s = Integer.parseInt(cause.trim());
      return s == 408 || s == 429 || (s >= 500 && s <= 599) ? s : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Exponential backoff: the n-th retry waits {@code initial x 2^(n-1)}, capped at {@code max};
   * with jitter, a uniformly random time between half of that and all of it.
   *
   * @param initial delay before the first retry; default 25ms
   * @param max the cap; default 500ms
   * @param jitter randomize delays so retries of many clients spread out; default true
   */
  public record BackoffConfig(Duration initial, Duration max, Boolean jitter) {
    public BackoffConfig {
      initial = initial == null ? Duration.ofMillis(25) : Checks.atLeast("initial", initial, Duration.ofMillis(1));
      max = max == null ? (initial.compareTo(Duration.ofMillis(500)) > 0 ? initial : Duration.ofMillis(500))
          : Checks.atLeast("max", max, initial);
      jitter = jitter == null || jitter;
    }
  }
}
