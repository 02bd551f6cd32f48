package io.edgeway.examples.jsonbody;

import io.edgeway.spi.Body;
import io.edgeway.spi.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Reads a request body whole, at most {@code maxBytes} of it. A stand-in for the SPI's
 * {@code Body.read(long)}, which is being added on another branch; this plugin switches to it once it
 * is on main, and this class goes. Same contract: a buffered body answers at once; a declared length
 * past the limit fails at once with 413 {@code payload_too_large} without reading; otherwise the
 * stream is read until it ends, or until the bytes received pass the limit (413, and reading stops:
 * the rest is never buffered), or it fails (its own failure, e.g. the route's limit, a broken body or
 * a client that went away, which the gateway answers with its status).
 */
final class BoundedBodyReader {
  private BoundedBodyReader() {}

  static Future<Buffer> read(Body body, long maxBytes) {
    if (body.isBuffered()) {
      Buffer buffer = body.buffer();
      return buffer.length() > maxBytes ? Future.failedFuture(tooLarge(maxBytes)) : Future.succeededFuture(buffer);
    }
    if (body.length() > maxBytes) {
      return Future.failedFuture(tooLarge(maxBytes));
    }
    ReadStream<Buffer> stream = body.stream();
    Promise<Buffer> promise = Promise.promise();
    Buffer received = body.length() >= 0 ? Buffer.buffer((int) body.length()) : Buffer.buffer();
    // One outcome only: a stream may still report its end or a failure after the limit was passed.
    boolean[] done = new boolean[1];
    stream.handler(chunk -> {
      if (done[0]) {
        return;
      }
      if (received.length() + (long) chunk.length() > maxBytes) {
        done[0] = true;
        stream.pause();
        promise.fail(tooLarge(maxBytes));
        return;
      }
      received.appendBuffer(chunk);
    });
    stream.exceptionHandler(failure -> {
      if (!done[0]) {
        done[0] = true;
        promise.fail(failure);
      }
    });
    stream.endHandler(v -> {
      if (!done[0]) {
        done[0] = true;
        promise.complete(received);
      }
    });
    stream.resume();
    return promise.future();
  }

  private static GatewayException tooLarge(long maxBytes) {
    return new GatewayException(413, "payload_too_large", "Body exceeds the limit of " + maxBytes + " bytes");
  }
}
