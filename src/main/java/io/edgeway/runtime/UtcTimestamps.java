package io.edgeway.runtime;

import io.edgeway.exchange.JsonBytes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * ISO-8601 UTC timestamps with milliseconds ({@code 2026-12-02T15:04:05.123Z}) for the access
 * log. The date and time of day are formatted once per second and reused by every line of that
 * second, so a line costs a 20-byte copy and four digits, not a formatter pass.
 */
final class UtcTimestamps {
  /** {@code yyyy-MM-ddTHH:mm:ss.} of one epoch second, ASCII; empty outside years 0000-9999. */
  private record Second(long epochSecond, byte[] prefix) {}

  private static volatile Second last = second(0);

  private UtcTimestamps() {}

  /** Appends the timestamp of {@code epochMillis}, without quotes. */
  static JsonBytes append(JsonBytes b, long epochMillis) {
    long epochSecond = Math.floorDiv(epochMillis, 1000);
    Second s = last;
    if (s.epochSecond != epochSecond) {
      s = second(epochSecond);
      last = s;
    }
    if (s.prefix.length == 0) {
      // A far date: rare enough to format fully.
      return b.raw(Instant.ofEpochMilli(epochMillis).toString().getBytes(StandardCharsets.US_ASCII));
    }
    int millis = (int) Math.floorMod(epochMillis, 1000);
    return b.raw(s.prefix).raw((byte) ('0' + millis / 100)).raw((byte) ('0' + millis / 10 % 10))
        .raw((byte) ('0' + millis % 10)).raw((byte) 'Z');
  }

  private static Second second(long epochSecond) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    if (t.getYear() < 0 || t.getYear() > 9999) {
      return new Second(epochSecond, new byte[0]);
    }
    String prefix = String.format("%04d-%02d-%02dT%02d:%02d:%02d.", t.getYear(), t.getMonthValue(),
        t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
    return new Second(epochSecond, prefix.getBytes(StandardCharsets.US_ASCII));
  }
}
