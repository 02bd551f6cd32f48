package io.edgeway.events;

import io.edgeway.spi.DataSize;
import java.time.Duration;

/**
 * The local event journal: append-only segment files with a CRC per record.
 *
 * @param dir directory of the segment files; default {@code data/journal}; one gateway per directory
 * @param maxSize the bound of all segments together; beyond it events are dropped and counted;
 *     default 1GiB
 * @param fsync how often appended records are forced to disk (batched); default 100ms
 * @param segmentSize a segment is closed and a new one started beyond this size; default 16MiB
 */
public record JournalConfig(String dir, DataSize maxSize, Duration fsync, DataSize segmentSize) {

  public JournalConfig {
    dir = dir == null || dir.isBlank() ? "data/journal" : dir;
    maxSize = maxSize == null ? DataSize.parse("1GiB") : maxSize;
    fsync = fsync == null ? Duration.ofMillis(100) : fsync;
    segmentSize = segmentSize == null ? DataSize.parse("16MiB") : segmentSize;
    if (maxSize.bytes() < 4096) {
      throw new IllegalArgumentException("max-size: " + maxSize + " (expected: >= 4KiB)");
    }
    if (segmentSize.bytes() < 1024 || segmentSize.bytes() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("segment-size: " + segmentSize + " (expected: 1KiB to 2GiB)");
    }
    if (fsync.toMillis() < 1 || fsync.toMillis() > 60_000) {
      throw new IllegalArgumentException("fsync: " + fsync + " (expected: 1ms to 1m)");
    }
  }

  public static JournalConfig defaults() {
    return new JournalConfig(null, null, null, null);
  }
}
