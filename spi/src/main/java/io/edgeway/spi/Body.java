package io.edgeway.spi;

import static java.util.Objects.requireNonNull;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request or response body: either held in memory ({@link #isBuffered()}) or a stream that is
 * read once, with back-pressure, as it is written to the other side. Bodies are never buffered
 * unless a filter asks for it, so a large upload or download never sits whole in memory.
 */
public final class Body {
  private static final Body EMPTY = new Body(Buffer.buffer(0), null, 0, null);

  private final Buffer buffer;
  private final ReadStream<Buffer> stream;
  private final long length;
  private final Runnable onDiscard;

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

  /** The stream; only when not {@link #isBuffered()}. */
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
