package io.edgeway.exchange;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * ISO-8601 / RFC 3339 UTC timestamps with milliseconds ({@code 2026-12-02T15:04:05.123Z}), for the
 * access log's {@code time} and the events' {@code ce_time}. The date and time of day are formatted
 * once per second and reused by everything stamped in that second, so a timestamp costs a 20-byte
 * copy and four digits, not a formatter pass ({@link Instant#toString()}).
 */
public final class UtcTimestamps {
  private static final int LENGTH = 24; // yyyy-MM-ddTHH:mm:ss.SSSZ

  /** {@code yyyy-MM-ddTHH:mm:ss.} of one epoch second, ASCII; empty outside years 0000-9999. */
  private record Second(long epochSecond, byte[] prefix) {}

  private static volatile Second last = second(0);

  private UtcTimestamps() {}

  /** Appends the timestamp of {@code epochMillis}, without quotes. */
  public static JsonBytes append(JsonBytes b, long epochMillis) {
    Second s = secondOf(epochMillis);
    if (s.prefix.length == 0) {
      return b.raw(farDate(epochMillis));
    }
    int millis = (int) Math.floorMod(epochMillis, 1000);
    return b.raw(s.prefix).raw((byte) ('0' + millis / 100)).raw((byte) ('0' + millis / 10 % 10))
        .raw((byte) ('0' + millis % 10)).raw((byte) 'Z');
  }

  /** The timestamp of {@code epochMillis} as ASCII bytes. */
  public static byte[] ascii(long epochMillis) {
    Second s = secondOf(epochMillis);
    if (s.prefix.length == 0) {
      return farDate(epochMillis);
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

  /** The timestamp of {@code epochMillis} as text. */
  public static String text(long epochMillis) {
    return new String(ascii(epochMillis), StandardCharsets.US_ASCII);
  }

  private static Second secondOf(long epochMillis) {
    long epochSecond = Math.floorDiv(epochMillis, 1000);
    Second s = last;
    if (s.epochSecond != epochSecond) {
      s = second(epochSecond);
      last = s;
    }
    return s;
  }

  /** Outside years 0000-9999 the layout differs; rare enough to format fully. */
  private static byte[] farDate(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString().getBytes(StandardCharsets.US_ASCII);
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
