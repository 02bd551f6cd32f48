package io.edgeway.cache;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** IMF-fixdate parsing and formatting (RFC 9110 section 5.6.7). */
final class HttpDates {
  /** Returned for a missing or invalid date. */
  static final long INVALID = Long.MIN_VALUE;

  private HttpDates() {}

  static long parse(String value) {
    if (value == null || value.isEmpty()) {
      return INVALID;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return INVALID;
    }
  }

  static String format(long millis) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC));
  }
}
