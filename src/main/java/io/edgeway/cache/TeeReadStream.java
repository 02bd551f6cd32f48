package io.edgeway.cache;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Passes a response body through unchanged (pause, resume and fetch go straight to the source, so
 * back-pressure from the client reaches the upstream) while keeping a copy of up to
 * {@code limit} bytes. The copy is usable only when the source ended normally within the limit;
 * a larger body keeps flowing but the copy is dropped at once, and a failure (upstream reset)
 * marks it unusable. Confined to the event loop of its exchange.
 */
final class TeeReadStream implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;
  private final int limit;
  private Buffer copy;
  private boolean overflowed;
  private boolean ended;
  private boolean failed;

  TeeReadStream(ReadStream<Buffer> source, int limit) {
    this.source = source;
    this.limit = limit;
    this.copy = Buffer.buffer(Math.min(limit, 4096));
    // Failures are observed even when nobody downstream listens.
    source.exceptionHandler(e -> failed = true);
  }

  /** The complete body, or null when it did not end normally within the limit. */
  Buffer completeBody() {
    return ended && !failed && !overflowed ? copy : null;
  }

  boolean overflowed() {
    return overflowed;
  }

  private void capture(Buffer chunk) {
    if (overflowed) {
      return;
    }
    if (copy.length() + chunk.length() > limit) {
      overflowed = true;
      copy = null;
      return;
    }
    copy.appendBuffer(chunk);
  }

  @Override
  public TeeReadStream exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(e -> {
      failed = true;
      if (handler != null) {
        handler.handle(e);
      }
    });
    return this;
  }

  @Override
  public TeeReadStream handler(Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
    } else {
      source.handler(chunk -> {
        capture(chunk);
        handler.handle(chunk);
      });
    }
    return this;
  }

  @Override
  public TeeReadStream endHandler(Handler<Void> handler) {
    source.endHandler(v -> {
      ended = true;
      if (handler != null) {
        handler.handle(v);
      }
    });
    return this;
  }

  @Override
  public TeeReadStream pause() {
    source.pause();
    return this;
  }

  @Override
  public TeeReadStream resume() {
    source.resume();
    return this;
  }

  @Override
  public TeeReadStream fetch(long amount) {
    source.fetch(amount);
    return this;
  }
}
