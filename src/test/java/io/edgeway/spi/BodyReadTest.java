package io.edgeway.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import org.junit.jupiter.api.Test;

/** {@link Body#read(long)} against a stream the test drives chunk by chunk. */
class BodyReadTest {

  @Test
  void bufferedBodyAnswersAtOnce() {
    Buffer bytes = Buffer.buffer("hello");
    Future<Buffer> read = Body.of(bytes).read(5);
    assertThat(read.succeeded()).isTrue();
    assertThat(read.result()).isSameAs(bytes);
    assertTooLarge(Body.of(bytes).read(4), 4);
    assertThat(Body.empty().read(0).result().length()).isZero();
  }

  @Test
  void negativeLimitIsRefused() {
    assertThatThrownBy(() -> Body.of("x").read(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes: -1 (expected: >= 0)");
  }

  @Test
  void streamIsResumedAndReadToItsEnd() {
    DrivenStream stream = new DrivenStream();
    Future<Buffer> read = Body.stream(stream, -1, null).read(10);
    assertThat(stream.resumed).as("the paused stream was resumed").isTrue();
    stream.send("hello").send(", you").end();
    assertThat(read.result().toString()).isEqualTo("hello, you");
  }

  @Test
  void declaredLengthOverTheLimitFailsWithoutReading() {
    DrivenStream stream = new DrivenStream();
    Future<Buffer> read = Body.stream(stream, 11, null).read(10);
    assertTooLarge(read, 10);
    assertThat(stream.resumed).as("nothing was asked of the client").isFalse();
  }

  @Test
  void failsAsSoonAsTheLimitIsPassedAndStopsReading() {
    DrivenStream stream = new DrivenStream();
    Future<Buffer> read = Body.stream(stream, -1, null).read(10);
    stream.send("0123456");
    assertThat(read.isComplete()).isFalse();
    stream.send("7890");
    assertTooLarge(read, 10);
    assertThat(stream.paused).as("reading stopped").isTrue();
    // What still arrives changes nothing.
    stream.send("more").end();
    assertTooLarge(read, 10);
  }

  @Test
  void streamFailureIsPassedOnAsIs() {
    DrivenStream stream = new DrivenStream();
    Future<Buffer> read = Body.stream(stream, 100, null).read(1000);
    GatewayException broken = new GatewayException(400, "client_body_error", "Malformed request body framing");
    stream.send("part").fail(broken);
    assertThat(read.cause()).isSameAs(broken);
  }

  @Test
  void aStreamIsReadOnce() {
    DrivenStream stream = new DrivenStream();
    Body body = Body.stream(stream, -1, null);
    body.read(10);
    assertThatThrownBy(() -> body.read(10)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already being read");
  }

  private static void assertTooLarge(Future<Buffer> read, long limit) {
    assertThat(read.failed()).as("failed").isTrue();
    assertThat(read.cause()).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.status()).isEqualTo(413);
      assertThat(e.code()).isEqualTo("payload_too_large");
      assertThat(e.title()).contains("limit of " + limit + " bytes");
    });
  }

  /** A paused stream the test feeds; it delivers only while resumed, as a real one does. */
  private static final class DrivenStream implements ReadStream<Buffer> {
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    boolean resumed;
    boolean paused = true;

    DrivenStream send(String chunk) {
      if (!paused && handler != null) {
        handler.handle(Buffer.buffer(chunk));
      }
      return this;
    }

    void end() {
      if (endHandler != null) {
        endHandler.handle(null);
      }
    }

    void fail(Throwable failure) {
      if (exceptionHandler != null) {
        exceptionHandler.handle(failure);
      }
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
      paused = true;
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      resumed = true;
      paused = false;
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      return resume();
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
      this.endHandler = endHandler;
      return this;
    }
  }
}
