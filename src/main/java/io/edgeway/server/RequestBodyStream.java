package io.edgeway.server;

import io.edgeway.spi.GatewayException;
import io.netty.handler.codec.DecoderException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * The client's request body as a stream for the upstream call. It enforces the route's body limit
 * while streaming (a chunked body that grows past it fails with 413 and nothing past the limit is
 * forwarded), sends {@code 100 Continue} only when someone starts reading (so a request rejected
 * by a filter never invites its body), and reports read activity for the body-idle timeout.
 */
final class RequestBodyStream implements ReadStream<Buffer> {
  static final GatewayException TOO_LARGE =
      new GatewayException(413, "payload_too_large", "Request body exceeds the route's limit");

  private final HttpServerRequest request;
  private final long maxBytes;
  private final boolean expectContinue;
  private final ConnectionGuard guard;
  private long received;
  private boolean continueSent;
  private boolean failed;
  private Handler<Throwable> exceptionHandler;
  private Handler<Buffer> dataHandler;
  private Runnable onMalformed;

  RequestBodyStream(HttpServerRequest request, long maxBytes, boolean expectContinue, ConnectionGuard guard) {
    this.request = request;
    this.maxBytes = maxBytes;
    this.expectContinue = expectContinue;
    this.guard = guard;
    // Installed now, not when the upstream starts reading: a body whose framing breaks while a
    // filter still runs must be answered too.
    request.exceptionHandler(this::requestFailed);
  }

  /** Runs when the body's framing is invalid, before the connection is closed. */
  void onMalformed(Runnable handler) {
    this.onMalformed = handler;
  }

  private void requestFailed(Throwable failure) {
    // Netty's HTTP decoder reports broken chunked framing as a DecoderException or, for a chunk
    // size that is not hex, a NumberFormatException; a client that went away is neither.
    if (onMalformed != null && (failure instanceof DecoderException || failure instanceof IllegalArgumentException)) {
      onMalformed.run();
    }
    Handler<Throwable> eh = exceptionHandler;
    if (eh != null) {
      eh.handle(failure);
    }
  }

  long bytesReceived() {
    return received;
  }

  boolean exceededLimit() {
    return failed;
  }

  private void sendContinueOnce() {
    if (expectContinue && !continueSent) {
      continueSent = true;
      request.response().writeContinue();
    }
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.dataHandler = handler;
    if (handler == null) {
      request.handler(null);
      return this;
    }
    sendContinueOnce();
    request.handler(chunk -> {
      if (failed) {
        return;
      }
      received += chunk.length();
      guard.bodyActivity();
      if (received > maxBytes) {
        failed = true;
        request.pause();
        Handler<Throwable> eh = exceptionHandler;
        if (eh != null) {
          eh.handle(TOO_LARGE);
        }
        return;
      }
      dataHandler.handle(chunk);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    request.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    sendContinueOnce();
    request.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    sendContinueOnce();
    request.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    request.endHandler(endHandler == null ? null : v -> {
      guard.bodyEnded();
      if (!failed) {
        endHandler.handle(null);
      }
    });
    return this;
  }
}
