package io.edgeway.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The writer thread: every queued byte written in order, batched, drained at close, drops counted. */
class AccessLogWriterTest {

  /** Records every write; optionally holds the first one until released, like a stuck console. */
  private static final class RecordingOutput implements AccessLogOutput {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<Integer> writes = new ArrayList<>();
    final CountDownLatch firstWriteStarted = new CountDownLatch(1);
    final CountDownLatch release;
    volatile boolean closed;

    RecordingOutput(boolean stuck) {
      release = new CountDownLatch(stuck ? 1 : 0);
    }

    @Override
    public synchronized void write(byte[] b, int length) throws IOException {
      firstWriteStarted.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      bytes.write(b, 0, length);
      writes.add(length);
    }

    @Override
    public void close() {
      closed = true;
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  private static byte[] line(int i) {
    return ("{\"n\":" + i + ",\"path\":\"/é/" + "x".repeat(i % 300) + "\"}\n").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void closeWritesEveryQueuedLineInOrderInFewWrites() {
    RecordingOutput output = new RecordingOutput(false);
    AccessLogWriter writer = AccessLogWriter.start(output);
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      writer.accept(line(i));
      expected.append(new String(line(i), StandardCharsets.UTF_8));
    }
    writer.close();
    assertThat(output.text()).isEqualTo(expected.toString());
    assertThat(output.closed).isTrue();
    assertThat(writer.written()).isEqualTo(5000);
    assertThat(writer.dropped()).isZero();
    assertThat(output.writes).as("lines are batched, up to 64 KiB per write").allMatch(n -> n <= 64 * 1024)
        .hasSizeLessThan(5000 / 10);
  }

  @Test
  void linesAreWrittenWithoutCloseAfterTheGatherDelay() throws Exception {
    RecordingOutput output = new RecordingOutput(false);
    AccessLogWriter writer = AccessLogWriter.start(output);
    try {
      writer.accept(line(1));
      writer.accept(line(2));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (writer.written() < 2 && System.nanoTime() < end) {
        Thread.onSpinWait();
      }
      assertThat(output.text()).isEqualTo(new String(line(1), StandardCharsets.UTF_8)
          + new String(line(2), StandardCharsets.UTF_8));
    } finally {
      writer.close();
    }
  }

  @Test
  void aLineLongerThanABatchIsWrittenWhole() {
    RecordingOutput output = new RecordingOutput(false);
    AccessLogWriter writer = AccessLogWriter.start(output);
    byte[] big = ("{\"q\":\"" + "y".repeat(100_000) + "\"}\n").getBytes(StandardCharsets.US_ASCII);
    writer.accept(line(1));
    writer.accept(big);
    writer.accept(line(2));
    writer.close();
    assertThat(output.text()).isEqualTo(new String(line(1), StandardCharsets.UTF_8)
        + new String(big, StandardCharsets.US_ASCII) + new String(line(2), StandardCharsets.UTF_8));
  }

  @Test
  void aFullQueueDropsLinesCountsAndReportsThemAndNeverBlocksTheCaller() throws Exception {
    RecordingOutput output = new RecordingOutput(true);
    try (LogCapture log = LogCapture.of(AccessLogWriter.class)) {
      AccessLogWriter writer = AccessLogWriter.start(output, 4);
      writer.accept(line(0));
      // The writer takes line 0 and is stuck writing it: the queue has room for 4 more.
      assertThat(output.firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i <= 10; i++) {
        writer.accept(line(i));
      }
      assertThat(writer.dropped()).isEqualTo(6);
      output.release.countDown();
      writer.close();
      assertThat(output.text()).isEqualTo(new String(line(0), StandardCharsets.UTF_8)
          + new String(line(1), StandardCharsets.UTF_8) + new String(line(2), StandardCharsets.UTF_8)
          + new String(line(3), StandardCharsets.UTF_8) + new String(line(4), StandardCharsets.UTF_8));
      assertThat(writer.written()).isEqualTo(5);
      assertThat(log.messages()).anyMatch(m -> m.startsWith("access log: 6 lines dropped (6 in all): the queue of 4 lines"
          + " was full"));
    }
  }

  @Test
  void aFailedWriteCountsItsLinesAsDroppedAndTheWriterGoesOn() {
    AccessLogOutput failing = new AccessLogOutput() {
      int calls;

      @Override
      public void write(byte[] bytes, int length) throws IOException {
        if (calls++ == 0) {
          throw new IOException("Broken pipe");
        }
      }

      @Override
      public void close() {}
    };
    try (LogCapture log = LogCapture.of(AccessLogWriter.class)) {
      AccessLogWriter writer = AccessLogWriter.start(failing);
      writer.accept(line(1));
      writer.accept(line(2));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (writer.dropped() < 2 && System.nanoTime() < end) {
        Thread.onSpinWait();
      }
      writer.accept(line(3));
      writer.close();
      assertThat(writer.dropped()).isEqualTo(2);
      assertThat(writer.written()).isEqualTo(1);
      assertThat(log.messages()).anyMatch(m -> m.contains("2 lines dropped") && m.contains("Broken pipe"));
    }
  }

  @Test
  void linesAfterCloseAreCountedAsDropped() {
    AccessLogWriter writer = AccessLogWriter.start(new RecordingOutput(false));
    writer.close();
    writer.accept(line(1));
    assertThat(writer.dropped()).isEqualTo(1);
  }
}
