package io.edgeway.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The upstream timeouts of one duration on one event loop. A Vert.x timer per request (scheduled,
 * then almost always cancelled) was a measurable share of a proxied request; here a timeout is a
 * node in a list, and one timer per queue fires only when its oldest node is due.
 *
 * <p>All nodes share the duration, so appending keeps the list sorted by deadline: the timer only
 * ever looks at the head. {@link Timeout#touch()} (body activity) moves a node to the tail, which
 * keeps the order. Only the owning loop uses a queue.
 */
final class TimeoutQueue {
  /** The cause an expired request is reset with; {@link UpstreamFailure#classify} maps it to 504. */
  static final TimeoutException EXPIRED = new UpstreamTimeoutException();

  private final Vertx vertx;
  private final long timeoutNanos;
  private Timeout head;
  private Timeout tail;
  private boolean timerPending;
  private boolean firing;

  TimeoutQueue(Vertx vertx, long timeoutMillis) {
    this.vertx = vertx;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  /** Starts timing {@code request}: it is reset with {@link #EXPIRED} unless cancelled or touched in time. */
  Timeout start(HttpClientRequest request) {
    Timeout timeout = new Timeout(this, request);
    timeout.deadline = System.nanoTime() + timeoutNanos;
    append(timeout);
    scheduleIfIdle();
    return timeout;
  }

  private void append(Timeout t) {
    t.linked = true;
    t.prev = tail;
    t.next = null;
    if (tail == null) {
      head = t;
    } else {
      tail.next = t;
    }
    tail = t;
  }

  private void unlink(Timeout t) {
    if (t.prev == null) {
      head = t.next;
    } else {
      t.prev.next = t.next;
    }
    if (t.next == null) {
      tail = t.prev;
    } else {
      t.next.prev = t.prev;
    }
    t.prev = null;
    t.next = null;
    t.linked = false;
  }

  private void scheduleIfIdle() {
    if (!timerPending && !firing && head != null) {
      timerPending = true;
      long delayMillis = TimeUnit.NANOSECONDS.toMillis(head.deadline - System.nanoTime()) + 1;
      vertx.setTimer(Math.max(1, delayMillis), id -> fire());
    }
  }

  private void fire() {
    timerPending = false;
    firing = true;
    try {
      long now = System.nanoTime();
      Timeout t;
      while ((t = head) != null && t.deadline - now <= 0) {
        unlink(t);
        // Resetting fails the exchange synchronously; its handlers may start or cancel timeouts here.
        t.request.reset(0, EXPIRED);
      }
    } finally {
      firing = false;
    }
    scheduleIfIdle();
  }

  /** One request's timeout. */
  static final class Timeout {
    private final TimeoutQueue queue;
    private final HttpClientRequest request;
    private Timeout prev;
    private Timeout next;
    private long deadline;
    private boolean linked;

    private Timeout(TimeoutQueue queue, HttpClientRequest request) {
      this.queue = queue;
      this.request = request;
    }

    /** Activity: the timeout starts over from now. */
    void touch() {
      if (linked) {
        if (queue.tail != this) {
          queue.unlink(this);
          queue.append(this);
        }
        deadline = System.nanoTime() + queue.timeoutNanos;
      }
    }

    /** The request finished (or failed) in time; the timeout will not fire. */
    void cancel() {
      if (linked) {
        queue.unlink(this);
      }
    }
  }

  /** Preallocated, without a stack trace: expiry is routine, not a bug. */
  private static final class UpstreamTimeoutException extends TimeoutException {
    UpstreamTimeoutException() {
      super("upstream did not answer in time");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
