package io.edgeway.spi;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request or response body: either held in memory ({@link #isBuffered()}) or a stream that is
 * read once, with back-pressure, as it is written to the other side. Bodies are never buffered
 * unless a filter asks for it, so a large upload or download never sits whole in memory.
 *
 * <p>To look at a streamed body, read it whole with a limit, then put the copy back so the next
 * filter and the upstream get it:
 *
 * <pre>{@code
 * return exchange.request().body().read(64 * 1024).compose(bytes -> {
 *   exchange.request().body(Body.of(bytes)); // sent upstream with Content-Length: bytes.length()
 *   return chain.proceed(exchange);
 * });
 * }</pre>
 *
 * <p>Returning the failed future from the filter is enough: the gateway answers the client with
 * the failure's status (see {@link #read}) and the upstream receives nothing.
 *
 * <p><b>A request body stream starts paused</b>: nothing is read from the client (and no
 * {@code 100 Continue} is sent) until someone resumes it, so a request a filter rejects never
 * invites its body. It is resumed by {@link #read}, by the gateway when it sends the body upstream,
 * or by a filter that reads {@link #stream()} itself ({@code handler}, {@code endHandler},
 * {@code exceptionHandler}, then {@code resume()}). It ends only when the client's body ended
 * correctly; any other end arrives at the stream's exception handler (never its end handler) as a
 * {@link GatewayException} carrying the status the gateway answers with: 413
 * {@code payload_too_large} past the route's {@code max-body-size}, 400 {@code client_body_error}
 * for broken chunked framing, 408 {@code request_body_timeout} for a stalled or too slow upload,
 * 499 {@code client_aborted} when the client went away. Whatever a filter then returns, the client
 * gets that answer and the connection is closed.
 */
public final class Body {
  private static final Body EMPTY = new Body(Buffer.buffer(0), null, 0, null);

  private final Buffer buffer;
  private final ReadStream<Buffer> stream;
  private final long length;
  private final Runnable onDiscard;
  // Event-loop confined like the rest of an exchange: a stream has one reader.
  private boolean reading;

  private Body(Buffer buffer, ReadStream<Buffer> stream, long length, Runnable onDiscard) {
    this.buffer = buffer;
    this.stream = stream;
    this.length = length;
    this.onDiscard = onDiscard;
  }

  /** A body of zero bytes. */
  public static Body empty() {
    return EMPTY;
  }

  /** A body held in memory. */
  public static Body of(Buffer buffer) {
    requireNonNull(buffer, "buffer");
    return new Body(buffer, null, buffer.length(), null);
  }

  /** A UTF-8 text body held in memory. */
  public static Body of(String text) {
    return of(Buffer.buffer(requireNonNull(text, "text")));
  }

  /**
   * A streamed body. The stream must be paused (or not yet flowing): the gateway resumes it when
   * it writes the body.
   *
   * @param stream the source
   * @param length the length in bytes if known (e.g. from Content-Length), or -1
   * @param onDiscard what to do when nobody will read the body (release or reset the connection);
   *     may be null, then the stream is drained
   */
  public static Body stream(ReadStream<Buffer> stream, long length, Runnable onDiscard) {
    return new Body(null, requireNonNull(stream, "stream"), length, onDiscard);
  }

  /** True when the whole body is in memory. */
  public boolean isBuffered() {
    return buffer != null;
  }

  /** The in-memory body; only when {@link #isBuffered()}. */
  public Buffer buffer() {
    if (buffer == null) {
      throw new IllegalStateException("body is streamed, not buffered");
    }
    return buffer;
  }

  /**
   * The stream; only when not {@link #isBuffered()}. A request body's stream starts paused and
   * reports failures as {@link GatewayException}s to its exception handler (see the class
   * description). Read it once; {@link #read} is the simple way.
   */
  public ReadStream<Buffer> stream() {
    if (stream == null) {
      throw new IllegalStateException("body is buffered, not streamed");
    }
    return stream;
  }

  /** The length in bytes when known, otherwise -1. */
  public long length() {
    return length;
  }

  /**
   * Reads the whole body into memory, at most {@code maxBytes} of it.
   *
   * <p>A buffered body answers at once. A streamed body is resumed and read to its end; the future
   * completes on the thread the stream delivers on (the request's event loop for a request body).
   * It fails with a {@link GatewayException} 413 {@code payload_too_large} as soon as more than
   * {@code maxBytes} are known to come: at once when the declared {@link #length()} is larger
   * (nothing is read, the client is not invited to send), otherwise when the bytes received pass
   * the limit (reading stops there, the rest is never buffered). When the stream itself fails, the
   * future fails with the stream's exception: for a request body, the {@link GatewayException}
   * described above (413 route limit, 400 broken framing, 408 stall, 499 client gone), so returning
   * it from a filter answers the client with that status.
   *
   * <p>A stream can be read once: after this call, {@link #stream()} has been consumed. To send the
   * body on, replace it with {@code Body.of(buffer)}; the upstream then gets a
   * {@code Content-Length} that matches it.
   *
   * @param maxBytes the most bytes accepted, {@code >= 0}
   * @return the body's bytes
   * @throws IllegalArgumentException when {@code maxBytes} is negative
   * @throws IllegalStateException when this streamed body is already being read by {@code read}
   */
  public Future<Buffer> read(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 0)");
    }
    if (buffer != null) {
      return buffer.length() > maxBytes ? Future.failedFuture(tooLarge(maxBytes)) : Future.succeededFuture(buffer);
    }
    if (reading) {
      throw new IllegalStateException(
          "body: already being read (expected: one read of a stream; replace the body with Body.of(buffer) to reuse it)");
    }
    reading = true;
    if (length > maxBytes) {
      return Future.failedFuture(tooLarge(maxBytes));
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer received = length >= 0 ? Buffer.buffer((int) Math.min(length, Integer.MAX_VALUE - 8)) : Buffer.buffer();
    // One outcome only: a stream may still report an end or a failure after the limit was passed.
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

  /**
   * Releases a body that will not be written anywhere (e.g. a response a retry filter throws
   * away), so its connection can be reused or closed. Safe to call on a buffered body.
   */
  public void discard() {
    if (stream == null) {
      return;
    }
    if (onDiscard != null) {
      onDiscard.run();
    } else {
      stream.exceptionHandler(e -> {});
      stream.handler(b -> {});
      stream.resume();
    }
  }
}
