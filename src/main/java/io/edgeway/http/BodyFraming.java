package io.edgeway.http;

import io.edgeway.spi.Body;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * Message framing derived from the body actually sent, never from the headers a filter left: a
 * filter that replaces a body cannot leave a stale {@code Content-Length} behind (excess bytes
 * to the client; on a pooled upstream connection, the start of someone else's request).
 *
 * <p>And a streamed body is written whole or not at all: {@link #pipe} ends the destination only
 * when the source ended correctly with exactly its declared length; otherwise the caller resets
 * the destination, so the peer never sees a shorter message as a complete one.
 */
public final class BodyFraming {
  private BodyFraming() {}

  /**
   * Sets the framing headers of a message that carries {@code body}: {@code Content-Length} when
   * its length is known, none (chunked) when it is not; {@code Transfer-Encoding} is always the
   * sender's to choose.
   */
  public static void apply(MultiMap headers, Body body) {
    headers.remove(HttpHeaders.TRANSFER_ENCODING);
    long length = body.length();
    if (length >= 0) {
      headers.set(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    } else {
      headers.remove(HttpHeaders.CONTENT_LENGTH);
    }
  }

  /**
   * Writes {@code body}'s stream to {@code destination} with back-pressure and ends it, when the
   * stream ended with its declared length (when it has one). Fails without ending the
   * destination when the stream fails, is longer or shorter than declared, or a write fails.
   */
  public static Future<Void> pipe(Body body, WriteStream<Buffer> destination) {
    return new StreamCopy(body.stream(), destination, body.length()).start();
  }

  /** One copy from a stream to a destination, counting bytes against the declared length. */
  private static final class StreamCopy {
    private final ReadStream<Buffer> source;
    private final WriteStream<Buffer> destination;
    private final long declaredLength;
    private final Promise<Void> result = Promise.promise();
    private long written;

    StreamCopy(ReadStream<Buffer> source, WriteStream<Buffer> destination, long declaredLength) {
      this.source = source;
      this.destination = destination;
      this.declaredLength = declaredLength;
    }

    Future<Void> start() {
      source.exceptionHandler(this::fail);
      source.endHandler(v -> sourceEnded());
      source.handler(this::copy);
      source.resume();
      return result.future();
    }

    private void copy(Buffer chunk) {
      written += chunk.length();
      if (declaredLength >= 0 && written > declaredLength) {
        fail(new IllegalStateException("body longer than its declared length " + declaredLength));
        return;
      }
      destination.write(chunk).onFailure(this::fail);
      if (destination.writeQueueFull()) {
        source.pause();
        destination.drainHandler(v -> source.resume());
      }
    }

    private void sourceEnded() {
      if (declaredLength >= 0 && written != declaredLength) {
        fail(new IllegalStateException("body of " + written + " bytes, declared " + declaredLength));
        return;
      }
      destination.end().onComplete(ar -> {
        if (ar.succeeded()) {
          result.tryComplete();
        } else {
          result.tryFail(ar.cause());
        }
      });
    }

    private void fail(Throwable cause) {
      if (result.tryFail(cause)) {
        source.handler(null);
        source.endHandler(null);
        source.exceptionHandler(null);
        source.pause();
      }
    }
  }
}
