package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log's one writer thread. Event loops hand it finished lines (UTF-8, each ending in
 * {@code \n}) through a bounded lock-free queue and never wait: when the queue is full the line
 * is dropped and counted, and the count is logged (at most one warning per 10 s) and exported as
 * a metric. The thread sleeps until lines arrive, gathers them for up to 100 ms (or until a batch
 * is worth writing), and copies them into one buffer written with one call per 64 KiB, so a busy
 * gateway makes about ten system calls a second instead of one per request. {@link #close()}
 * writes every line queued before it and closes the output.
 */
final class AccessLogWriter implements Consumer<byte[]>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);

  static final int QUEUE_LINES = 8192;
  /** Wakes the writer before its 100 ms are up: the queue then holds a batch worth a write. */
  private static final int WAKE_EVERY_LINES = 128;
  private static final int BATCH_BYTES = 64 * 1024;
  private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  private final AccessLogOutput output;
  private final int capacity;
  private final Queue<byte[]> lines = new ConcurrentLinkedQueue<>();
  // Counts what the queue holds (a ConcurrentLinkedQueue's size() walks it): the bound, and the wake-ups.
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;
  private volatile boolean closed;

  // The writer thread's own state.
  private final byte[] batch = new byte[BATCH_BYTES];
  private int batchSize;
  private int batchLines;
  private long reportedDrops;
  private long lastReportNanos;
  private IOException lastError;

  private AccessLogWriter(AccessLogOutput output, int capacity) {
    this.output = requireNonNull(output, "output");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
    }
    this.capacity = capacity;
    this.thread = new Thread(this::run, "edgeway-access-log");
    thread.setDaemon(true);
    lastReportNanos = System.nanoTime() - REPORT_NANOS;
  }

  /** Starts a writer to {@code output} with a queue of {@link #QUEUE_LINES} lines. */
  static AccessLogWriter start(AccessLogOutput output) {
    return start(output, QUEUE_LINES);
  }

  static AccessLogWriter start(AccessLogOutput output, int capacity) {
    AccessLogWriter writer = new AccessLogWriter(output, capacity);
    writer.thread.start();
    return writer;
  }

  /** Queues one line; called on event loops, never blocks (a full queue drops the line). */
  @Override
  public void accept(byte[] line) {
    if (closed) {
      dropped.incrementAndGet();
      return;
    }
    int n = queued.incrementAndGet();
    if (n > capacity) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    lines.offer(line);
    // The first line wakes an idle writer (which then gathers); every further batch wakes it again.
    if (n == 1 || n % WAKE_EVERY_LINES == 0) {
      LockSupport.unpark(thread);
    }
  }

  /** Lines dropped so far: the queue was full, a write failed, or the writer was closed. */
  long dropped() {
    return dropped.get();
  }

  /** Lines written so far. */
  long written() {
    return written.get();
  }

  /** The access log's counters and queue length, for the metrics exporter. */
  void collect(MetricSink sink) {
    sink.counter("edgeway_access_log_written_total", "Access-log lines written", written.get());
    sink.counter("edgeway_access_log_dropped_total",
        "Access-log lines dropped: the queue was full (the output could not keep up) or a write failed",
        dropped.get());
    sink.gauge("edgeway_access_log_queued", "Access-log lines waiting for the writer", queued.get());
  }

  private void run() {
    while (true) {
      if (!closing && queued.get() == 0) {
        LockSupport.parkNanos(this, REPORT_NANOS); // idle: the first line (or close) wakes it
      }
      gather();
      boolean last = closing;
      drain();
      reportDrops(last);
      if (last) {
        break;
      }
    }
    try {
      output.close();
    } catch (IOException | RuntimeException e) {
      log.warn("access log: closing {} failed: {}", output, e.toString());
    }
  }

  /**
   * Waits until a batch is queued, 100 ms have passed or the writer is closing. A wake-up is only
   * a hint to look again: one left over from an earlier round must not cut a batch short.
   */
  private void gather() {
    long deadline = System.nanoTime() + GATHER_NANOS;
    long left;
    while (!closing && queued.get() < WAKE_EVERY_LINES && (left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(this, left);
    }
  }

  /** Writes what is queued now: lines queued while it runs wait for the next round. */
  private void drain() {
    int n = queued.get();
    for (int i = 0; i < n; i++) {
      byte[] line = lines.poll();
      if (line == null) {
        break; // counted but not yet offered: the next round takes it
      }
      queued.decrementAndGet();
      if (batchSize + line.length > batch.length) {
        flush();
      }
      if (line.length > batch.length) {
        write(line, line.length, 1);
      } else {
        System.arraycopy(line, 0, batch, batchSize, line.length);
        batchSize += line.length;
        batchLines++;
      }
    }
    flush();
  }

  private void flush() {
    if (batchSize > 0) {
      write(batch, batchSize, batchLines);
      batchSize = 0;
      batchLines = 0;
    }
  }

  private void write(byte[] bytes, int length, int lineCount) {
    try {
      output.write(bytes, length);
      written.addAndGet(lineCount);
    } catch (IOException | RuntimeException e) {
      lastError = e instanceof IOException io ? io : new IOException(e);
      dropped.addAndGet(lineCount);
    }
  }

  private void reportDrops(boolean last) {
    long now = System.nanoTime();
    long total = dropped.get();
    if (total == reportedDrops || (!last && now - lastReportNanos < REPORT_NANOS)) {
      return;
    }
    IOException error = lastError;
    log.warn("access log: {} lines dropped ({} in all): {}", total - reportedDrops, total,
        error == null ? "the queue of " + capacity + " lines was full, " + output + " could not keep up"
            : "writing to " + output + " failed: " + error);
    reportedDrops = total;
    lastReportNanos = now;
    lastError = null;
  }

  /**
   * Writes every line queued so far, closes the output and stops the thread; waits up to 5 s for
   * a blocked output, then counts what is left as dropped. Blocking: call it off the event loop.
   */
  @Override
  public void close() {
    closing = true;
    LockSupport.unpark(thread);
    try {
      thread.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closed = true;
    if (thread.isAlive()) {
      log.warn("access log: {} did not take the last lines within {} ms; {} lines are lost", output,
          CLOSE_WAIT_MILLIS, queued.get());
      dropped.addAndGet(queued.get());
    } else if (queued.get() > 0) {
      // Lines handed over while the writer took its last round: counted, not silently lost.
      int left = queued.getAndSet(0);
      dropped.addAndGet(left);
      log.warn("access log: {} lines arrived after the last write to {} and are lost", left, output);
    }
  }
}
