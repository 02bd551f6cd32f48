package io.edgeway.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@code ce_time} as RFC 3339 in UTC with milliseconds ({@code 2026-11-27T00:00:15.042Z}), for
 * every event: the date and time of day are formatted once per second and reused, since events
 * of the same second share them ({@link Instant#toString()} costs a formatter pass each).
 */
final class EventTime {
  private static final int LENGTH = 24; // yyyy-MM-ddTHH:mm:ss.SSSZ

  /** The first 20 bytes ({@code yyyy-MM-ddTHH:mm:ss.}) of one epoch second. */
  private record Second(long epochSecond, byte[] prefix) {}

  private static volatile Second last = second(0);

  private EventTime() {}

  static byte[] utf8(long epochMillis) {
    long epochSecond = Math.floorDiv(epochMillis, 1000);
    Second s = last;
    if (s.epochSecond != epochSecond) {
      s = second(epochSecond);
      last = s;
    }
    if (s.prefix.length != LENGTH - 4) {
      // Outside years 0000-9999 the layout differs; rare enough to format fully.
      return Instant.ofEpochMilli(epochMillis).toString().getBytes(StandardCharsets.US_ASCII);
    }
    byte[] out = new byte[LENGTH];
    System.arraycopy(s.prefix, 0, out, 0, LENGTH - 4);
    int millis = (int) Math.floorMod(epochMillis, 1000);
    out[20] = (byte) ('0' + millis / 100);
    out[21] = (byte) ('0' + millis / 10 % 10);
    out[22] = (byte) ('0' + millis % 10);
    out[23] = 'Z';
    return out;
  }

  static String text(long epochMillis) {
    return new String(utf8(epochMillis), StandardCharsets.US_ASCII);
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
