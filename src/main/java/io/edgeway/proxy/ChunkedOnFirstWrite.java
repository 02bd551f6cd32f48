package io.edgeway.proxy;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.streams.WriteStream;

/**
 * An upstream request body of unknown length: switched to chunked when its first byte is
 * written, so one that ends empty goes out without a body at all (an HTTP/2 client's GET has no
 * {@code content-length} and an END_STREAM the gateway learns of only later). On an HTTP/2
 * upstream chunked means nothing and DATA frames carry the body either way.
 */
final class ChunkedOnFirstWrite implements WriteStream<Buffer> {
  private final HttpClientRequest request;

  ChunkedOnFirstWrite(HttpClientRequest request) {
    this.request = request;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (!request.isChunked()) {
      request.setChunked(true);
    }
    return request.write(data);
  }

  @Override
  public Future<Void> end() {
    return request.end();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    request.exceptionHandler(handler);
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    request.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return request.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    request.drainHandler(handler);
    return this;
  }
}
