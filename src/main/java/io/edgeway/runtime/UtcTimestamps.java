package io.edgeway.runtime;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * ISO-8601 UTC timestamps with milliseconds ({@code 2026-12-02T15:04:05.123Z}) for the access
 * log. The date and time of day are formatted once per second and reused by every line of that
 * second, so a line costs a 20-character copy and four digits, not a formatter pass.
 */
final class UtcTimestamps {
  /** {@code yyyy-MM-ddTHH:mm:ss.} of one epoch second; empty outside years 0000-9999. */
  private record Second(long epochSecond, String prefix) {}

  private static volatile Second last = second(0);

  private UtcTimestamps() {}

  /** Appends the timestamp of {@code epochMillis}, without quotes. */
  static StringBuilder append(StringBuilder b, long epochMillis) {
    long epochSecond = Math.floorDiv(epochMillis, 1000);
    Second s = last;
    if (s.epochSecond != epochSecond) {
      s = second(epochSecond);
      last = s;
    }
    if (s.prefix.isEmpty()) {
      return b.append(Instant.ofEpochMilli(epochMillis)); // a far date: rare enough to format fully
    }
    int millis = (int) Math.floorMod(epochMillis, 1000);
    return b.append(s.prefix).append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
        .append((char) ('0' + millis % 10)).append('Z');
  }

  private static Second second(long epochSecond) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    if (t.getYear() < 0 || t.getYear() > 9999) {
      return new Second(epochSecond, "");
    }
    StringBuilder p = new StringBuilder(20);
    pad(p, t.getYear(), 4).append('-');
    pad(p, t.getMonthValue(), 2).append('-');
    pad(p, t.getDayOfMonth(), 2).append('T');
    pad(p, t.getHour(), 2).append(':');
    pad(p, t.getMinute(), 2).append(':');
    pad(p, t.getSecond(), 2).append('.');
    return new Second(epochSecond, p.toString());
  }

  private static StringBuilder pad(StringBuilder b, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(digits);
  }
}
