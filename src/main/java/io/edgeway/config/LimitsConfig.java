package io.edgeway.config;

import io.edgeway.spi.DataSize;
import java.time.Duration;

/**
 * Limits on what a client may send; each has the status the edge answers with past it.
 *
 * @param maxRequestLine 414 past it; default 8KiB
 * @param maxHeaderSize 431 past it; default 32KiB
 * @param maxHeaderCount 431 past it; default 100
 * @param maxBodySize 413 past it; the default for routes that set none; default 1MiB
 * @param headerReadTimeout the whole header block must arrive within it (408 and close); default 10s
 * @param bodyIdleTimeout longest pause between body bytes (408); default 30s
 * @param idleTimeout keep-alive connection idle time before close; default 60s
 * @param maxConnections open client connections per process; default 10000
 */
public record LimitsConfig(
    DataSize maxRequestLine,
    DataSize maxHeaderSize,
    Integer maxHeaderCount,
    DataSize maxBodySize,
    Duration headerReadTimeout,
    Duration bodyIdleTimeout,
    Duration idleTimeout,
    Integer maxConnections) {

  public LimitsConfig {
    maxRequestLine = maxRequestLine == null ? DataSize.parse("8KiB") : ComponentChecks.intSize("max-request-line", maxRequestLine, 64);
    maxHeaderSize = maxHeaderSize == null ? DataSize.parse("32KiB") : ComponentChecks.intSize("max-header-size", maxHeaderSize, 64);
    maxHeaderCount = maxHeaderCount == null ? 100 : ComponentChecks.range("max-header-count", maxHeaderCount, 1, 10_000);
    maxBodySize = maxBodySize == null ? DataSize.parse("1MiB") : maxBodySize;
    headerReadTimeout = headerReadTimeout == null ? Duration.ofSeconds(10) : ComponentChecks.positive("header-read-timeout", headerReadTimeout);
    bodyIdleTimeout = bodyIdleTimeout == null ? Duration.ofSeconds(30) : ComponentChecks.positive("body-idle-timeout", bodyIdleTimeout);
    idleTimeout = idleTimeout == null ? Duration.ofSeconds(60) : ComponentChecks.positive("idle-timeout", idleTimeout);
    maxConnections = maxConnections == null ? 10_000 : ComponentChecks.range("max-connections", maxConnections, 1, 10_000_000);
  }

  /** All defaults. */
  public static LimitsConfig defaults() {
    return new LimitsConfig(null, null, null, null, null, null, null, null);
  }
}
