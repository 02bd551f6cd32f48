package io.edgeway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.spi.Body;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import org.junit.jupiter.api.Test;

class BodyFramingTest {

  @Test
  void contentLengthFollowsABufferedBodyWhateverTheHeadersSaid() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Length", "5").add("Transfer-Encoding", "chunked");
    BodyFraming.apply(headers, Body.of("a longer body"));
    assertThat(headers.getAll("Content-Length")).containsExactly("13");
    assertThat(headers.contains("Transfer-Encoding")).isFalse();
  }

  @Test
  void aStreamOfUnknownLengthDropsAStaleContentLength() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Length", "5");
    BodyFraming.apply(headers, Body.stream(new Source(), -1, null));
    assertThat(headers.contains("Content-Length")).isFalse();
    assertThat(headers.contains("Transfer-Encoding")).isFalse();
  }

  @Test
  void aStreamEndedWithItsDeclaredLengthEndsTheDestination() {
    Source source = new Source();
    Sink sink = new Sink();
    Future<Void> done = BodyFraming.pipe(Body.stream(source, 5, null), sink);
    source.emit("hel").emit("lo").end();
    assertThat(done.succeeded()).isTrue();
    assertThat(sink.ended).isTrue();
    assertThat(sink.received.toString()).isEqualTo("hello");
  }

  @Test
  void aStreamEndingShortOfItsDeclaredLengthFailsWithoutEnding() {
    Source source = new Source();
    Sink sink = new Sink();
    Future<Void> done = BodyFraming.pipe(Body.stream(source, 10, null), sink);
    source.emit("hello").end();
    assertThat(done.failed()).isTrue();
    assertThat(sink.ended).isFalse();
  }

  @Test
  void aStreamLongerThanDeclaredFailsBeforeTheExtraBytesAreWritten() {
    Source source = new Source();
    Sink sink = new Sink();
    Future<Void> done = BodyFraming.pipe(Body.stream(source, 3, null), sink);
    source.emit("hello");
    assertThat(done.failed()).isTrue();
    assertThat(sink.received.length()).isZero();
    assertThat(sink.ended).isFalse();
  }

  @Test
  void aFailingSourceNeverEndsTheDestination() {
    Source source = new Source();
    Sink sink = new Sink();
    Future<Void> done = BodyFraming.pipe(Body.stream(source, -1, null), sink);
    source.emit("part");
    source.fail(new IllegalStateException("client went away"));
    assertThat(done.failed()).isTrue();
    assertThat(done.cause()).hasMessage("client went away");
    assertThat(sink.ended).isFalse();
    assertThat(sink.received.toString()).isEqualTo("part");
  }

  /** A source driven by the test; synchronous. */
  private static final class Source implements ReadStream<Buffer> {
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;

    Source emit(String text) {
      handler.handle(Buffer.buffer(text));
      return this;
    }

    void end() {
      endHandler.handle(null);
    }

    void fail(Throwable t) {
      exceptionHandler.handle(t);
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      this.exceptionHandler = handler;
      return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      this.handler = handler;
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
      this.endHandler = endHandler;
      return this;
    }
  }

  /** A destination that records what it got. */
  private static final class Sink implements WriteStream<Buffer> {
    final Buffer received = Buffer.buffer();
    boolean ended;

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      received.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      ended = true;
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
