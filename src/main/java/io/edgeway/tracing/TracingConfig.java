package io.edgeway.tracing;

import io.edgeway.config.ConfigSection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code tracing} section: spans exported over OTLP/HTTP (protobuf) with the OpenTelemetry
 * SDK. An absent section means tracing is off (no span object is ever made); a present one turns
 * it on unless {@code enabled: false}.
 *
 * @param enabled default true when the section is present
 * @param endpoint the collector's OTLP/HTTP traces URL; default {@code http://localhost:4318/v1/traces}
 * @param samplingRatio the fraction (0 to 1) of new traces recorded; a request that continues a
 *     trace follows its caller's sampled flag instead; default 1
 * @param serviceName the {@code service.name} resource attribute; default {@code edgeway}
 * @param headers sent with every export (e.g. a collector's API key; use {@code ${ENV}}); default none
 * @param timeout bound of one export request; default 10s
 * @param exportInterval how often batched spans are sent (sooner when 512 are waiting); default 5s
 * @param maxQueueSize spans waiting for export; past it new spans are dropped (counted by the SDK),
 *     never waited for; default 2048
 */
public record TracingConfig(Boolean enabled, String endpoint, Double samplingRatio, String serviceName,
    Map<String, String> headers, Duration timeout, Duration exportInterval, Integer maxQueueSize) {

  /** The section, owned by the {@link TracingModule}; absent: tracing off. */
  public static final ConfigSection<TracingConfig> SECTION = ConfigSection.of("tracing", TracingConfig.class, off());

  public TracingConfig {
    enabled = enabled == null ? Boolean.TRUE : enabled;
    endpoint = endpoint == null ? "http://localhost:4318/v1/traces" : checkedEndpoint(endpoint);
    samplingRatio = samplingRatio == null ? 1.0 : samplingRatio;
    if (!(samplingRatio >= 0.0 && samplingRatio <= 1.0)) {
      throw new IllegalArgumentException("sampling-ratio: " + samplingRatio + " (expected: a fraction from 0 to 1)");
    }
    serviceName = serviceName == null ? "edgeway" : serviceName;
    if (serviceName.isBlank()) {
      throw new IllegalArgumentException("service-name: '' (expected: a name such as edgeway-eu-1)");
    }
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (!header.getKey().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new IllegalArgumentException("headers." + header.getKey() + ": " + header.getKey()
            + " (expected: an HTTP header name)");
      }
      if (header.getValue() == null || header.getValue().chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
        throw new IllegalArgumentException("headers." + header.getKey() + ": (expected: a value without control characters)");
      }
    }
    timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    if (timeout.toMillis() < 1 || timeout.toMillis() > 300_000) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: 1ms to 5m)");
    }
    exportInterval = exportInterval == null ? Duration.ofSeconds(5) : exportInterval;
    if (exportInterval.toMillis() < 10 || exportInterval.toMillis() > 300_000) {
      throw new IllegalArgumentException("export-interval: " + exportInterval + " (expected: 10ms to 5m)");
    }
    maxQueueSize = maxQueueSize == null ? 2048 : maxQueueSize;
    if (maxQueueSize < 16 || maxQueueSize > 1_000_000) {
      throw new IllegalArgumentException("max-queue-size: " + maxQueueSize + " (expected: 16 to 1000000)");
    }
  }

  /** What an absent {@code tracing} section means: off. */
  public static TracingConfig off() {
    return new TracingConfig(false, null, null, null, null, null, null, null);
  }

  private static String checkedEndpoint(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (Exception e) {
      uri = null;
    }
    if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("endpoint: " + endpoint
          + " (expected: an http or https URL such as http://localhost:4318/v1/traces)");
    }
    return endpoint;
  }
}
