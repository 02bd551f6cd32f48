package io.edgeway.config;

import io.edgeway.spi.DataSize;
import java.time.Duration;

/**
 * HTTP/2 on a listener: h2c with prior knowledge on a clear-text listener (the {@code Upgrade: h2c}
 * dance stays refused, RFC 9113 deprecated it), ALPN {@code h2} on a TLS listener. The block is
 * per listener: a list of listeners carries one each. Defaults follow Envoy's edge guidance and
 * nginx (security.md §1): small windows and 100 streams, so one connection cannot hold much of the
 * gateway's memory.
 *
 * @param enabled serve HTTP/2; default false (HTTP/1.1 only)
 * @param maxConcurrentStreams streams a client may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS); default 100
 * @param maxHeaderListSize decoded size of one header block (SETTINGS_MAX_HEADER_LIST_SIZE), the
 *     bound on HPACK bombs; past it the stream gets 431 or is reset; default 32KiB, as
 *     {@code limits.max-header-size}
 * @param headerTableSize HPACK dynamic table the client may use (SETTINGS_HEADER_TABLE_SIZE); default 4KiB
 * @param initialWindowSize per-stream flow-control window (SETTINGS_INITIAL_WINDOW_SIZE): what a
 *     client may send on one stream before the gateway reads it; default 64KiB
 * @param connectionWindowSize the connection's flow-control window; default 1MiB
 * @param maxFrameSize largest frame the client may send (SETTINGS_MAX_FRAME_SIZE), 16KiB..16MiB; default 16KiB
 * @param maxResetsPerWindow RST_STREAM frames (sent or received) per {@code resetWindow} before the
 *     connection gets GOAWAY: rapid reset (CVE-2023-44487) and MadeYouReset (CVE-2025-55163); default 200
 * @param resetWindow the window of {@code maxResetsPerWindow}, whole seconds; default 30s
 * @param maxSmallContinuationFrames CONTINUATION frames smaller than 16KiB allowed in one header
 *     block before GOAWAY (CONTINUATION flood, CVE-2026-33871: frames are counted, not only bytes); default 16
 */
public record Http2Config(
    Boolean enabled,
    Integer maxConcurrentStreams,
    DataSize maxHeaderListSize,
    DataSize headerTableSize,
    DataSize initialWindowSize,
    DataSize connectionWindowSize,
    DataSize maxFrameSize,
    Integer maxResetsPerWindow,
    Duration resetWindow,
    Integer maxSmallContinuationFrames) {

  public Http2Config {
    enabled = enabled != null && enabled;
    maxConcurrentStreams = maxConcurrentStreams == null ? 100
        : ComponentChecks.range("max-concurrent-streams", maxConcurrentStreams, 1, 10_000);
    maxHeaderListSize = maxHeaderListSize == null ? DataSize.parse("32KiB")
        : ComponentChecks.intSize("max-header-list-size", maxHeaderListSize, 1024);
    headerTableSize = headerTableSize == null ? DataSize.parse("4KiB")
        : sized("header-table-size", headerTableSize, 0, 64 * 1024);
    initialWindowSize = initialWindowSize == null ? DataSize.parse("64KiB")
        : sized("initial-window-size", initialWindowSize, 1024, Integer.MAX_VALUE);
    connectionWindowSize = connectionWindowSize == null ? DataSize.parse("1MiB")
        : sized("connection-window-size", connectionWindowSize, 65_535, Integer.MAX_VALUE);
    maxFrameSize = maxFrameSize == null ? DataSize.parse("16KiB")
        : sized("max-frame-size", maxFrameSize, 16_384, 16_777_215);
    maxResetsPerWindow = maxResetsPerWindow == null ? 200
        : ComponentChecks.range("max-resets-per-window", maxResetsPerWindow, 1, 1_000_000);
    resetWindow = resetWindow == null ? Duration.ofSeconds(30) : ComponentChecks.positive("reset-window", resetWindow);
    if (resetWindow.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("reset-window: " + resetWindow.toMillis() + "ms (expected: whole seconds such as 30s)");
    }
    maxSmallContinuationFrames = maxSmallContinuationFrames == null ? 16
        : ComponentChecks.range("max-small-continuation-frames", maxSmallContinuationFrames, 1, 10_000);
  }

  /** HTTP/2 off, every limit at its default. */
  public static Http2Config defaults() {
    return new Http2Config(null, null, null, null, null, null, null, null, null, null);
  }

  private static DataSize sized(String key, DataSize value, long min, long max) {
    if (value.bytes() < min || value.bytes() > max) {
      throw new IllegalArgumentException(key + ": " + value + " (expected: a size from " + DataSize.ofBytes(min)
          + " to " + DataSize.ofBytes(max) + ")");
    }
    return value;
  }
}
