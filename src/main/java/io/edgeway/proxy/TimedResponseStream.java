package io.edgeway.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;

/**
 * An upstream response body under its idle timeout: every chunk restarts the timeout (the caller
 * cancels it when the response ends or fails). Without it, a target that sends headers and then
 * stalls would hold the client, and a pooled connection, forever.
 */
final class TimedResponseStream implements ReadStream<Buffer> {
  private final HttpClientResponse response;
  private final TimeoutQueue.Timeout idle;

  TimedResponseStream(HttpClientResponse response, TimeoutQueue.Timeout idle) {
    this.response = response;
    this.idle = idle;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    response.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    response.handler(handler == null ? null : chunk -> {
      idle.touch();
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    response.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    response.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    response.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    response.endHandler(handler);
    return this;
  }
}
