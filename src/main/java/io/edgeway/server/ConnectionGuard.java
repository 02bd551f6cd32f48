package io.edgeway.server;

import io.vertx.core.http.HttpConnection;
import java.util.ArrayList;
import java.util.List;

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
 *
 * <p>An HTTP/2 connection carries several requests at once: the header deadline runs only while
 * none is open, each body being read has its own deadlines, and a refusal ends its stream, never
 * the connection (the dispatcher does not mark an HTTP/2 connection closing).
 */
final class ConnectionGuard {
  final HttpConnection connection;
  private long headersDeadlineNanos;
  private boolean answeredARequest;
  private boolean closing;
  private int openRequests;
  /** The bodies being read: at most one on HTTP/1.1, one per open stream on HTTP/2. */
  private final List<BodyWatch> bodies = new ArrayList<>(1);

  ConnectionGuard(HttpConnection connection, long headersDeadlineNanos) {
    this.connection = connection;
    this.headersDeadlineNanos = headersDeadlineNanos;
  }

  void requestStarted() {
    openRequests++;
    headersDeadlineNanos = 0;
  }

  /** A request is answered; once none is open, the next one's headers are awaited until the deadline. */
  void awaitNextRequest(long deadlineNanos) {
    answeredARequest = true;
    if (--openRequests <= 0) {
      openRequests = 0;
      headersDeadlineNanos = deadlineNanos;
    }
  }

  /** The gateway started reading {@code body}; from now on its deadlines run. */
  void bodyStarted(RequestBodyStream body, long now, long requestBodyTimeoutNanos) {
    bodies.add(new BodyWatch(body, now, now + requestBodyTimeoutNanos));
  }

  void bodyActivity(RequestBodyStream body, long now) {
    BodyWatch watch = watchOf(body);
    if (watch != null) {
      watch.lastActivityNanos = now;
    }
  }

  /** The body ended or failed: none of its deadlines runs any more. */
  void bodyDone(RequestBodyStream body) {
    BodyWatch watch = watchOf(body);
    if (watch != null) {
      bodies.remove(watch);
    }
  }

  private BodyWatch watchOf(RequestBodyStream body) {
    for (int i = 0; i < bodies.size(); i++) {
      if (bodies.get(i).body == body) {
        return bodies.get(i);
      }
    }
    return null;
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
   * Fails each body being read that stalled or ran past its deadline; the request's dispatcher
   * then answers 408 (and closes an HTTP/1 connection). Returns true when it failed one.
   */
  boolean failLateBody(long now, long bodyIdleNanos) {
    List<RequestBodyStream> late = null;
    for (int i = 0; i < bodies.size(); i++) {
      BodyWatch watch = bodies.get(i);
      if (now - watch.lastActivityNanos > bodyIdleNanos || now - watch.deadlineNanos > 0) {
        if (late == null) {
          late = new ArrayList<>(1);
        }
        late.add(watch.body);
      }
    }
    if (late == null) {
      return false;
    }
    for (RequestBodyStream body : late) {
      bodyDone(body);
      body.fail(BodyFailure.TIMEOUT);
    }
    return true;
  }

  private static final class BodyWatch {
    final RequestBodyStream body;
    long lastActivityNanos;
    final long deadlineNanos;

    BodyWatch(RequestBodyStream body, long lastActivityNanos, long deadlineNanos) {
      this.body = body;
      this.lastActivityNanos = lastActivityNanos;
      this.deadlineNanos = deadlineNanos;
    }
  }
}
