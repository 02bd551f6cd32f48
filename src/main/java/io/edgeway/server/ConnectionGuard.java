package io.edgeway.server;

import io.vertx.core.http.HttpConnection;

/**
 * Per-connection deadlines a slow client must not escape, and whether the connection is done.
 *
 * <ul>
 *   <li>Headers (slowloris): the first request's headers must be complete within the header-read
 *       timeout of the connection's opening; a later request's within keep-alive idle +
 *       header-read timeout of the previous response.
 *   <li>Body: once the gateway starts reading a request body, it must not stall for longer than
 *       the body-idle timeout, and must end within the route's request-body timeout. A body that
 *       misses either fails with {@link BodyFailure#TIMEOUT} (408, upstream request reset).
 *   <li>Closing: once the gateway decided to close the connection (a rejected request, a body it
 *       will not read), no request pipelined behind is dispatched.
 * </ul>
 *
 * A sweeper on the connection's event loop checks the deadlines (every 100 ms to 1 s), so the
 * request path only writes a few fields.
 */
final class ConnectionGuard {
  final HttpConnection connection;
  private long headersDeadlineNanos;
  private boolean answeredARequest;
  private boolean closing;
  private RequestBodyStream body;
  private long lastBodyActivityNanos;
  private long bodyDeadlineNanos;

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

  /** The gateway started reading {@code body}; from now on its deadlines run. */
  void bodyStarted(RequestBodyStream body, long now, long requestBodyTimeoutNanos) {
    this.body = body;
    this.lastBodyActivityNanos = now;
    this.bodyDeadlineNanos = now + requestBodyTimeoutNanos;
  }

  void bodyActivity(long now) {
    lastBodyActivityNanos = now;
  }

  /** The body ended or failed: no body deadline runs any more. */
  void bodyDone() {
    body = null;
  }

  /** Nothing more from this connection is dispatched; it closes after the current response. */
  void markClosing() {
    closing = true;
  }

  boolean isClosing() {
    return closing;
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

  /** True when the connection's headers are late: it must be closed. */
  boolean headersLate(long now) {
    return headersDeadlineNanos != 0 && now - headersDeadlineNanos > 0;
  }

  /**
   * Fails the body being read when it stalled or ran past its deadline; the request's dispatcher
   * then answers 408 and closes. Returns true when it did.
   */
  boolean failLateBody(long now, long bodyIdleNanos) {
    RequestBodyStream late = body;
    if (late == null || (now - lastBodyActivityNanos <= bodyIdleNanos && now - bodyDeadlineNanos <= 0)) {
      return false;
    }
    body = null;
    late.fail(BodyFailure.TIMEOUT);
    return true;
  }
}
