package io.edgeway.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.VerboseResult;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.time.Duration;
import java.util.List;

/**
 * The limits of one filter, compiled once: the Bucket4j configuration, the constant
 * {@code RateLimit-Policy} value and what the per-response headers need.
 *
 * <p>Header syntax follows draft-ietf-httpapi-ratelimit-headers (drafts 08 to 10): structured-field
 * lists of quoted policy names with parameters, {@code RateLimit-Policy: "default";q=20;w=1} and
 * {@code RateLimit: "default";r=5;t=1}.
 */
final class RateLimitPolicy {
  // Header names with a cached hash: written on every response of a limited route.
  static final CharSequence POLICY_HEADER = HttpHeaders.createOptimized("RateLimit-Policy");
  static final CharSequence STATE_HEADER = HttpHeaders.createOptimized("RateLimit");
  static final CharSequence LEGACY_LIMIT = HttpHeaders.createOptimized("X-RateLimit-Limit");
  static final CharSequence LEGACY_REMAINING = HttpHeaders.createOptimized("X-RateLimit-Remaining");
  static final CharSequence LEGACY_RESET = HttpHeaders.createOptimized("X-RateLimit-Reset");
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final List<LimitConfig> limits;
  private final String[] names;
  private final String[] capacityText;
  private final long[] capacity;
  private final long[] periodNanos;
  private final long[] windowSeconds;
  private final boolean[] intervally;
  private final String policyHeader;
  private final String signature;
  private final BucketConfiguration configuration;
  private final Duration longestPeriod;

  RateLimitPolicy(List<LimitConfig> limits) {
    this.limits = List.copyOf(limits);
    int n = limits.size();
    names = new String[n];
    capacityText = new String[n];
    capacity = new long[n];
    periodNanos = new long[n];
    windowSeconds = new long[n];
    intervally = new boolean[n];
    StringBuilder policy = new StringBuilder();
    StringBuilder sig = new StringBuilder();
    ConfigurationBuilder builder = BucketConfiguration.builder();
    Duration longest = Duration.ZERO;
    for (int i = 0; i < n; i++) {
      LimitConfig limit = limits.get(i);
      capacity[i] = limit.capacity();
      capacityText[i] = Long.toString(limit.capacity());
      periodNanos[i] = limit.period().toNanos();
      windowSeconds[i] = limit.windowSeconds();
      intervally[i] = limit.refill() == LimitConfig.Refill.INTERVALLY;
      names[i] = limit.name() != null ? limit.name()
          : n == 1 ? "default" : limit.capacity() + "-per-" + windowSeconds[i] + "s";
      if (i > 0) {
        policy.append(", ");
        sig.append(',');
      }
      policy.append('"').append(names[i]).append("\";q=").append(capacity[i]).append(";w=").append(windowSeconds[i]);
      sig.append(capacity[i]).append('/').append(limit.period().toMillis()).append(intervally[i] ? 'i' : 'g');
      long cap = limit.capacity();
      Duration period = limit.period();
      boolean interval = intervally[i];
      builder.addLimit(b -> interval
          ? b.capacity(cap).refillIntervally(cap, period)
          : b.capacity(cap).refillGreedy(cap, period));
      if (period.compareTo(longest) > 0) {
        longest = period;
      }
    }
    policyHeader = policy.toString();
    signature = Integer.toHexString(sig.toString().hashCode());
    configuration = builder.build();
    longestPeriod = longest;
  }

  BucketConfiguration configuration() {
    return configuration;
  }

  int size() {
    return limits.size();
  }

  Duration longestPeriod() {
    return longestPeriod;
  }

  /** A short fingerprint of the limits, part of every bucket key: changed limits start new buckets. */
  String signature() {
    return signature;
  }

  String policyHeader() {
    return policyHeader;
  }

  /** The outcome of a plain probe (one limit only). */
  static BucketOutcome outcome(ConsumptionProbe probe) {
    return new BucketOutcome(probe.isConsumed(), new long[] {probe.getRemainingTokens()},
        probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill());
  }

  /** The outcome of a verbose probe: tokens left per limit. */
  static BucketOutcome outcome(VerboseResult<ConsumptionProbe> result) {
    ConsumptionProbe probe = result.getValue();
    return new BucketOutcome(probe.isConsumed(), result.getDiagnostics().getAvailableTokensPerEachBandwidth(),
        probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill());
  }

  /**
   * Seconds until limit {@code i} is full again: exact for greedy refill, an upper bound (the
   * whole window) for intervally refill.
   */
  long resetSeconds(int i, long available) {
    long deficit = capacity[i] - Math.max(0, available);
    if (deficit <= 0) {
      return 0;
    }
    if (intervally[i]) {
      return windowSeconds[i];
    }
    double nanos = (double) deficit * periodNanos[i] / capacity[i];
    return Math.max(1, (long) Math.ceil(nanos / NANOS_PER_SECOND));
  }

  /** Retry-After for a rejection: whole seconds, rounded up, never 0. */
  static long retryAfterSeconds(long nanosToWait) {
    if (nanosToWait <= 0) {
      return 1;
    }
    return Math.max(1, (nanosToWait + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
  }

  /** Writes {@code RateLimit-Policy}, {@code RateLimit} and, when asked, the legacy headers. */
  void writeHeaders(MultiMap headers, long[] available, boolean legacy) {
    headers.set(POLICY_HEADER, policyHeader);
    int tightest = 0;
    long tightestRemaining = Long.MAX_VALUE;
    long tightestReset = 0;
    StringBuilder state = new StringBuilder(24 * names.length);
    for (int i = 0; i < names.length; i++) {
      long remaining = Math.max(0, i < available.length ? available[i] : 0);
      long reset = resetSeconds(i, remaining);
      if (i > 0) {
        state.append(", ");
      }
      state.append('"').append(names[i]).append("\";r=").append(remaining).append(";t=").append(reset);
      if (remaining < tightestRemaining || (remaining == tightestRemaining && reset > tightestReset)) {
        tightest = i;
        tightestRemaining = remaining;
        tightestReset = reset;
      }
    }
    headers.set(STATE_HEADER, state.toString());
    if (legacy) {
      headers.set(LEGACY_LIMIT, capacityText[tightest]);
      headers.set(LEGACY_REMAINING, Long.toString(tightestRemaining));
      headers.set(LEGACY_RESET, Long.toString(tightestReset));
    }
  }
}
