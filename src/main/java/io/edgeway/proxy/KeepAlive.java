package io.edgeway.proxy;

import io.edgeway.http.HeaderSyntax;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import java.util.concurrent.TimeUnit;

/** Whether an upstream connection may carry another request after this response, and for how long. */
final class KeepAlive {
  /** Closing a second before the target does avoids sending on a connection it is closing. */
  private static final long SAFETY_MARGIN_SECONDS = 1;

  private KeepAlive() {}

  /**
   * False when the target said it closes the connection ({@code Connection: close}, or HTTP/1.0
   * without {@code keep-alive}): Vert.x closes it, and handing it out meanwhile would fail the next
   * request.
   */
  static boolean reusable(HttpVersion version, MultiMap headers) {
    String connection = headers.get(HttpHeaders.CONNECTION);
    if (connection == null) {
      return version != HttpVersion.HTTP_1_0;
    }
    // The usual single token, answered without walking the list.
    if (connection.equalsIgnoreCase("keep-alive")) {
      return true;
    }
    if (connection.equalsIgnoreCase("close")) {
      return false;
    }
    boolean[] close = {false};
    boolean[] keepAlive = {false};
    HeaderSyntax.forEachListElement(connection, (value, start, end) -> {
      if (end - start == 5 && value.regionMatches(true, start, "close", 0, 5)) {
        close[0] = true;
      } else if (end - start == 10 && value.regionMatches(true, start, "keep-alive", 0, 10)) {
        keepAlive[0] = true;
      }
      return true;
    });
    return !close[0] && (version != HttpVersion.HTTP_1_0 || keepAlive[0]);
  }

  /** The {@code timeout} of a {@code Keep-Alive} header less a safety margin, in nanoseconds; 0 when absent. */
  static long timeoutNanos(MultiMap headers) {
    String keepAlive = headers.get(HttpHeaders.KEEP_ALIVE);
    if (keepAlive == null) {
      return 0;
    }
    long[] seconds = {-1};
    HeaderSyntax.forEachListElement(keepAlive, (value, start, end) -> {
      if (end - start > 8 && value.regionMatches(true, start, "timeout=", 0, 8)) {
        try {
          seconds[0] = Long.parseLong(value.substring(start + 8, end).trim());
        } catch (NumberFormatException e) {
          seconds[0] = -1;
        }
        return false;
      }
      return true;
    });
    if (seconds[0] < 0) {
      return 0;
    }
    // A target that keeps connections for a second or less: close them at once after use.
    return TimeUnit.SECONDS.toNanos(Math.max(0, seconds[0] - SAFETY_MARGIN_SECONDS)) + 1;
  }
}
