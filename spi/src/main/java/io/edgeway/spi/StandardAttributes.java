package io.edgeway.spi;

/**
 * Attributes that built-in filters set and that request events, metrics and other filters read.
 * Third-party filters may read them and may set {@link #CONSUMER} when they authenticate callers.
 */
public final class StandardAttributes {
  private StandardAttributes() {}

  /** The authenticated caller (JWT subject, API-key name); absent for anonymous requests. */
  public static final AttributeKey<String> CONSUMER = AttributeKey.of("consumer", String.class);

  /** Cache outcome, e.g. {@code hit}, {@code miss}, {@code stale}, {@code bypass}. */
  public static final AttributeKey<String> CACHE_STATUS = AttributeKey.of("cache-status", String.class);

  /** Rate-limit outcome, e.g. {@code allowed}, {@code rejected}, {@code degraded}. */
  public static final AttributeKey<String> RATE_LIMIT_OUTCOME =
      AttributeKey.of("rate-limit-outcome", String.class);

  /** State of the route's circuit breaker when the request passed it: closed, open, half-open. */
  public static final AttributeKey<String> BREAKER_STATE = AttributeKey.of("breaker-state", String.class);

  /** The upstream target (its URL) that served the last attempt. */
  public static final AttributeKey<String> UPSTREAM_TARGET = AttributeKey.of("upstream-target", String.class);

  /** How many upstream attempts were made (1 without retries). */
  public static final AttributeKey<Integer> ATTEMPTS = AttributeKey.of("attempts", Integer.class);

  /**
   * The client's TLS certificate chain, leaf first, as the listener verified it against its
   * {@code client-ca-file} during the handshake; absent on plain listeners, on listeners with
   * {@code client-auth: none}, and when the client sent none ({@code client-auth: request}).
   */
  @SuppressWarnings("unchecked")
  public static final AttributeKey<java.util.List<java.security.cert.X509Certificate>> CLIENT_CERTIFICATES =
      AttributeKey.of("client-certificates", (Class<java.util.List<java.security.cert.X509Certificate>>) (Class<?>) java.util.List.class);

  /** Time spent waiting on the upstream, summed over attempts, in nanoseconds. */
  public static final AttributeKey<Long> UPSTREAM_NANOS = AttributeKey.of("upstream-nanos", Long.class);
}
