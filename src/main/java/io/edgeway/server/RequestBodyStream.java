package io.edgeway.server;

import io.netty.handler.codec.DecoderException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * The client's request body as a stream for the upstream call (or a filter that buffers it).
 *
 * <p>It ends only when the client's body ended correctly. Any other end is a {@link BodyFailure}
 * reported to the reader's exception handler, never to its end handler: broken chunked framing,
 * the route's body limit passed while streaming (nothing past the limit is forwarded), a stall or
 * an overlong upload ({@link ConnectionGuard}), or the client going away. A reader that subscribes
 * after the failure gets it at once. The upstream call resets its request on such a failure, so
 * the upstream never sees a shorter body as a complete request.
 *
 * <p>Nothing is read until someone asks for the body: then {@code 100 Continue} is sent (so a
 * request a filter rejects never invites its body) and the body deadlines start.
 */
final class RequestBodyStream implements ReadStream<Buffer> {
  private final HttpServerRequest request;
  private final long maxBytes;
  private final boolean expectContinue;
  private final ConnectionGuard guard;
  private final long requestBodyTimeoutNanos;
  private long received;
  private boolean started;
  private boolean ended;
  private BodyFailure failure;
  private Handler<Throwable> exceptionHandler;
  private Handler<Buffer> dataHandler;
  private Handler<Void> endHandler;
  private Runnable onMalformed;

  RequestBodyStream(
      HttpServerRequest request, long maxBytes, boolean expectContinue, ConnectionGuard guard,
      long requestBodyTimeoutNanos) {
    this.request = request;
    this.maxBytes = maxBytes;
    this.expectContinue = expectContinue;
    this.guard = guard;
    this.requestBodyTimeoutNanos = requestBodyTimeoutNanos;
    // Installed now (the request is paused), not when a reader subscribes: a body that fails
    // while a filter still runs must be noticed too.
    request.exceptionHandler(this::requestFailed);
    request.handler(this::onData);
    request.endHandler(v -> onEnd());
  }

  /** Runs when the body's framing is invalid, before Vert.x closes the connection. */
  void onMalformed(Runnable handler) {
    this.onMalformed = handler;
  }

  long bytesReceived() {
    return received;
  }

  /** Why the body did not end correctly, or null. */
  BodyFailure failure() {
    return failure;
  }

  /**
   * Fails the body: no more of it is forwarded and the reader's exception handler is told (the
   * upstream request is reset). Called by the stream itself, and by the connection guard on a
   * timeout. No effect once the body ended or failed.
   */
  void fail(BodyFailure why) {
    if (failure != null || ended) {
      return;
    }
    failure = why;
    guard.bodyDone(this);
    if (why != BodyFailure.ABORTED) {
      request.pause();
    }
    Handler<Throwable> handler = exceptionHandler;
    if (started && handler != null) {
      handler.handle(why.exception());
    }
  }

  private void requestFailed(Throwable cause) {
    if (failure != null || ended) {
      return;
    }
    // Netty's HTTP decoder reports broken chunked framing as a DecoderException or, for a chunk
    // size that is not hex, a NumberFormatException; a client that went away is neither.
    boolean malformed = cause instanceof DecoderException || cause instanceof IllegalArgumentException;
    fail(malformed ? BodyFailure.MALFORMED : BodyFailure.ABORTED);
    if (malformed && onMalformed != null) {
      onMalformed.run();
    }
  }

  private void onData(Buffer chunk) {
    if (failure != null) {
      return;
    }
    received += chunk.length();
    guard.bodyActivity(this, System.nanoTime());
    if (received > maxBytes) {
      fail(BodyFailure.TOO_LARGE);
      return;
    }
    Handler<Buffer> handler = dataHandler;
    if (handler != null) {
      handler.handle(chunk);
    }
  }

  private void onEnd() {
    if (failure != null) {
      return;
    }
    ended = true;
    guard.bodyDone(this);
    Handler<Void> handler = endHandler;
    if (handler != null) {
      handler.handle(null);
    }
  }

  /**
   * Reads what is left of the body and drops it, under the same limits and deadlines (the
   * answer is out already; on HTTP/2 this keeps the stream, and the connection, in step without
   * a reset). No {@code 100 Continue} is sent. {@code onFailure} runs when the body fails instead
   * of ending, and then the caller resets the stream.
   */
  void drain(Runnable onFailure) {
    if (ended) {
      return;
    }
    if (failure != null) {
      onFailure.run();
      return;
    }
    dataHandler = null;
    endHandler = null;
    exceptionHandler = t -> onFailure.run();
    if (!started) {
      started = true;
      guard.bodyStarted(this, System.nanoTime(), requestBodyTimeoutNanos);
    }
    request.resume();
  }

  /** The first read: invite the body, start its deadlines, or report an earlier failure. */
  private boolean start() {
    if (!started) {
      started = true;
      if (failure == null) {
        if (expectContinue) {
          request.response().writeContinue();
        }
        guard.bodyStarted(this, System.nanoTime(), requestBodyTimeoutNanos);
      }
    }
    if (failure != null) {
      Handler<Throwable> handler = exceptionHandler;
      if (handler != null) {
        handler.handle(failure.exception());
      }
      return false;
    }
    return true;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.dataHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    request.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    if (start()) {
      request.resume();
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (start()) {
      request.fetch(amount);
    }
    return this;
  }
}
