package io.edgeway.server;

import io.vertx.core.http.HttpConnection;

/**
 * Per-connection deadlines a slow client must not escape (slowloris): the request headers must be
 * complete within the header-read timeout of the connection's opening (for later requests on a
 * keep-alive connection: within keep-alive idle + header-read timeout of the previous response),
 * and a request body must not stall for longer than the body-idle timeout. A sweeper checks the
 * deadlines once a second, so the request path only writes two fields.
 */
final class ConnectionGuard {
  final HttpConnection connection;
  private long headersDeadlineNanos;
  private long lastBodyActivityNanos;
  private boolean answeredARequest;

  /** A guard for requests whose connection is not tracked (never expires). */
  static final ConnectionGuard NONE = new ConnectionGuard(null, 0);

  ConnectionGuard(HttpConnection connection, long headersDeadlineNanos) {
    this.connection = connection;
    this.headersDeadlineNanos = headersDeadlineNanos;
  }

  void requestStarted() {
    headersDeadlineNanos = 0;
  }

  void awaitNextRequest(long deadlineNanos) {
    headersDeadlineNanos = deadlineNanos;
    answeredARequest = true;
  }

  void bodyActivity() {
    lastBodyActivityNanos = System.nanoTime();
  }

  void bodyEnded() {
    lastBodyActivityNanos = 0;
  }

  /**
   * True when the missed deadline is the first request's headers: the client opened the
   * connection and is sending its headers too slowly (slowloris), so it gets a 408. An idle
   * keep-alive connection is closed silently instead, since a 408 there could race the client's
   * next request.
   */
  boolean firstHeadersTimedOut(long now) {
    return !answeredARequest && headersLate(now);
  }

  /** True when the connection missed a deadline and must be closed. */
  boolean expired(long now, long bodyIdleNanos) {
    if (headersLate(now)) {
      return true;
    }
    return lastBodyActivityNanos != 0 && now - lastBodyActivityNanos > bodyIdleNanos;
  }

  private boolean headersLate(long now) {
    return headersDeadlineNanos != 0 && now - headersDeadlineNanos > 0;
  }
}
