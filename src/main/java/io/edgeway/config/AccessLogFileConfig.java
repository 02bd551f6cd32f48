package io.edgeway.config;

import io.edgeway.spi.DataSize;

/**
 * The access log's file ({@code access-log.file}), rolled by size and, optionally, every day.
 *
 * @param path the file lines are appended to; default {@code logs/access.log}; rolled files are
 *     written beside it ({@code access.2026-12-02.0.log} daily, {@code access.1.log} by size only)
 * @param maxSize the file is rolled once it grows past this size; default 100MiB
 * @param daily also roll at midnight (the gateway's time zone); default true
 * @param maxHistory rolled files kept (days when daily, files otherwise); older ones are deleted;
 *     default 7
 */
public record AccessLogFileConfig(String path, DataSize maxSize, Boolean daily, Integer maxHistory) {

  public AccessLogFileConfig {
    path = path == null ? "logs/access.log" : path;
    if (path.isBlank() || path.endsWith("/")) {
      throw new IllegalArgumentException("path: '" + path + "' (expected: a file name)");
    }
    maxSize = maxSize == null ? DataSize.parse("100MiB") : maxSize;
    if (maxSize.bytes() < 1024) {
      throw new IllegalArgumentException("max-size: " + maxSize + " (expected: >= 1KiB)");
    }
    daily = daily == null ? Boolean.TRUE : daily;
    maxHistory = maxHistory == null ? 7 : ComponentChecks.range("max-history", maxHistory, 1, daily ? 3650 : 20);
  }

  /** All defaults. */
  public static AccessLogFileConfig defaults() {
    return new AccessLogFileConfig(null, null, null, null);
  }
}
