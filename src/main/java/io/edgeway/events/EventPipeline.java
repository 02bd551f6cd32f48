package io.edgeway.events;

import io.edgeway.exchange.JsonEncoder;
import io.edgeway.runtime.MetricSink;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path of every event from an event loop to Kafka:
 *
 * <pre>
 * event loop --offer (lock-free, bounded)--> queue --publisher thread--> Kafka (DIRECT mode)
 *                                                                   \--> journal (JOURNAL mode) --replay--> Kafka
 * </pre>
 *
 * The publisher thread owns the producer calls and the journal. It sends directly while Kafka
 * acknowledges in time; once a send fails, blocks out, or acknowledgements stall, it switches to
 * JOURNAL mode: every event is appended to the journal and the journal is replayed in order, and
 * segments are deleted only after Kafka acknowledged their records. When the replay has caught
 * up, it switches back to DIRECT. Without Kafka, events are only journaled.
 */
final class EventPipeline {
  private static final Logger log = LoggerFactory.getLogger(EventPipeline.class);
  private static final int REPLAY_BATCH = 500;
  private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  enum Mode { DIRECT, JOURNAL }

  private final Journal journal;
  private final EventSender sender;
  private final int capacity;
  private final long stallNanos;
  private final Duration flushTimeout;
  private final long publishIntervalNanos;
  private final EventStats stats = new EventStats();

  private static final int WAKE_DEPTH = 512;

  private final ConcurrentLinkedQueue<Event> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final ConcurrentLinkedQueue<Event> failedDirect = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inflightDirect = new AtomicInteger();
  // One callback instance each, shared by every send: the event comes back as an argument.
  private final BiConsumer<Event, Exception> directDone = this::directDone;
  private final BiConsumer<Event, Exception> replayDone = this::replayDone;
  // Stall detection, publisher thread only: acknowledgements are counted by the callbacks and
  // compared once per pass, so no callback and no send reads the clock.
  private long lastProgressNanos = System.nanoTime();
  private long lastAcknowledged;
  private boolean stalled;
  private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final Thread thread;
  private final ScheduledExecutorService fsync;

  private volatile boolean parked;
  private volatile boolean stopping;
  private volatile boolean closed;
  private volatile Mode mode;

  // Replay state, publisher thread only (counters read by stats are atomics).
  private List<Journal.Entry> batch;
  private final AtomicInteger batchPending = new AtomicInteger();
  private volatile boolean batchFailed;
  private long nextReplayNanos;
  private long backoffMillis = 100;

  EventPipeline(Journal journal, EventSender sender, int capacity, Duration stall, Duration fsyncInterval,
      Duration flushTimeout, Duration publishInterval) {
    this.journal = journal;
    this.sender = sender;
    this.capacity = capacity;
    this.stallNanos = stall.toNanos();
    this.flushTimeout = flushTimeout;
    this.publishIntervalNanos = publishInterval.toNanos();
    // Start journaled when a previous run left events: they go first, in order.
    this.mode = sender != null && journal.isDrained() ? Mode.DIRECT : Mode.JOURNAL;
    this.thread = new Thread(this::run, "edgeway-events-publisher");
    this.thread.setDaemon(true);
    this.fsync = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "edgeway-events-fsync");
      t.setDaemon(true);
      return t;
    });
    long every = fsyncInterval.toMillis();
    fsync.scheduleWithFixedDelay(journal::force, every, every, TimeUnit.MILLISECONDS);
  }

  void start() {
    thread.start();
  }

  /** Hands an event off; never blocks. A full queue or a stopped pipeline drops it, counted. */
  void offer(Event event) {
    stats.created.increment();
    if (closed) {
      stats.droppedStopped.increment();
      logDrop("the events publisher is stopped");
      return;
    }
    int depth = queued.incrementAndGet();
    if (depth > capacity) {
      queued.decrementAndGet();
      stats.droppedQueueFull.increment();
      logDrop("the in-memory queue is full (" + capacity + ")");
      return;
    }
    queue.add(event);
    // The publisher wakes by itself every publish-interval (it batches like the producer's
    // linger); waking it per event would cost the event loop a thread switch per request. Only a
    // filling queue wakes it early.
    if (parked && depth >= WAKE_DEPTH) {
      LockSupport.unpark(thread);
    }
  }

  /** Drains the queue, waits up to the flush timeout for Kafka, journals what is left; completes when done. */
  CompletableFuture<Void> stop() {
    stopping = true;
    LockSupport.unpark(thread);
    return stopped;
  }

  Mode mode() {
    return mode;
  }

  EventStats stats() {
    return stats;
  }

  /** The pipeline's counters and backlog, for the metrics exporter (docs/metrics.md). */
  void collect(MetricSink sink) {
    String help = "Events by stage: created (handed to the pipeline), published (acknowledged by Kafka), "
        + "journaled, replayed (published from the journal), dropped";
    sink.counter("edgeway_events_total", help, stats.created.sum(), "stage", "created");
    sink.counter("edgeway_events_total", help, stats.published.sum(), "stage", "published");
    sink.counter("edgeway_events_total", help, stats.journaled.sum(), "stage", "journaled");
    sink.counter("edgeway_events_total", help, stats.replayed.sum(), "stage", "replayed");
    sink.counter("edgeway_events_total", help, stats.dropped(), "stage", "dropped");
    String dropHelp = "Events lost, by reason";
    sink.counter("edgeway_events_dropped_total", dropHelp, stats.droppedQueueFull.sum(), "reason", "queue_full");
    sink.counter("edgeway_events_dropped_total", dropHelp, stats.droppedJournalFull.sum(), "reason", "journal_full");
    sink.counter("edgeway_events_dropped_total", dropHelp, stats.droppedRejected.sum(), "reason", "rejected");
    sink.counter("edgeway_events_dropped_total", dropHelp, stats.droppedStopped.sum(), "reason", "stopped");
    sink.gauge("edgeway_events_queued", "Events in the in-memory queue, not yet sent or journaled", queued.get());
    sink.gauge("edgeway_events_journal_bytes", "Bytes in the event journal (not yet replayed to Kafka)",
        journal.sizeBytes());
    sink.gauge("edgeway_events_direct", "1 while events go straight to Kafka; 0 while they are journaled first",
        sender != null && mode == Mode.DIRECT ? 1 : 0);
  }

  JsonObject statsJson() {
    return new JsonObject()
        .put("mode", sender == null ? "journal-only" : mode.name().toLowerCase())
        .put("created", stats.created.sum())
        .put("queued", queued.get())
        .put("inflight", inflightDirect.get() + batchPending.get())
        .put("published", stats.published.sum())
        .put("journaled", stats.journaled.sum())
        .put("replayed", stats.replayed.sum())
        .put("dropped", stats.droppedJson(journal.corruptRecords()))
        .put("droppedTotal", stats.dropped())
        .put("journalBytes", journal.sizeBytes())
        .put("journalSegments", journal.segmentCount());
  }

  private void run() {
    try {
      while (true) {
        boolean stop = stopping;
        int moved = drainQueue();
        moved += drainFailed();
        journal.flush();
        if (sender != null) {
          moved += replayStep(stop);
        }
        if (stop && queue.isEmpty()) {
          break;
        }
        if (moved == 0) {
          parked = true;
          if (queue.isEmpty() && !stopping) {
            LockSupport.parkNanos(publishIntervalNanos);
          }
          parked = false;
        }
      }
      shutdown();
    } catch (Throwable t) {
      log.error("events publisher failed; events are no longer published", t);
      closed = true;
      stopped.completeExceptionally(t);
      try {
        journal.close();
      } catch (RuntimeException ignored) {
        // best effort
      }
      fsync.shutdownNow();
    }
  }

  private int drainQueue() {
    int n = 0;
    Event e;
    if (!queue.isEmpty() && sender != null && mode == Mode.DIRECT) {
      stalled = acknowledgementsStalled();
    }
    while (n < 4096 && (e = queue.poll()) != null) {
      queued.decrementAndGet();
      route(e);
      n++;
    }
    return n;
  }

  private int drainFailed() {
    int n = 0;
    Event e;
    while ((e = failedDirect.poll()) != null) {
      if (mode == Mode.DIRECT) {
        switchMode(Mode.JOURNAL, "Kafka did not acknowledge an event in time");
      }
      append(e);
      n++;
    }
    return n;
  }

  private void route(Event e) {
    if (sender != null && mode == Mode.DIRECT) {
      if (stalled) {
        switchMode(Mode.JOURNAL, "no acknowledgement from Kafka for " + stallNanos / 1_000_000 + " ms");
      } else {
        sendDirect(e);
        return;
      }
    }
    append(e);
  }

  /**
   * True when Kafka owes acknowledgements and has sent none for the stall time. Sampled once per
   * pass over the queue (every few milliseconds), which is precise enough for a stall of seconds.
   */
  private boolean acknowledgementsStalled() {
    long now = System.nanoTime();
    long acknowledged = stats.published.sum();
    if (acknowledged != lastAcknowledged || inflightDirect.get() == 0) {
      lastAcknowledged = acknowledged;
      lastProgressNanos = now;
      return false;
    }
    return now - lastProgressNanos > stallNanos;
  }

  private void directDone(Event event, Exception failure) {
    if (failure == null) {
      stats.published.increment();
    } else if (sender.isPermanent(failure)) {
      stats.droppedRejected.increment();
      logDrop("Kafka rejected an event: " + failure);
    } else {
      failedDirect.add(event);
    }
    inflightDirect.decrementAndGet();
  }

  private void replayDone(Event event, Exception failure) {
    if (failure == null) {
      stats.replayed.increment();
      stats.published.increment();
    } else if (sender.isPermanent(failure)) {
      stats.droppedRejected.increment();
      logDrop("Kafka rejected a journaled event: " + failure);
    } else {
      batchFailed = true;
    }
    batchPending.decrementAndGet();
  }

  private void sendDirect(Event e) {
    inflightDirect.incrementAndGet();
    try {
      sender.send(e, directDone);
    } catch (RuntimeException failure) {
      inflightDirect.decrementAndGet();
      if (sender.isPermanent(failure)) {
        stats.droppedRejected.increment();
        logDrop("Kafka rejected an event: " + failure);
        return;
      }
      switchMode(Mode.JOURNAL, "send failed: " + failure);
      append(e);
    }
  }

  private void append(Event e) {
    if (journal.append(e)) {
      stats.journaled.increment();
    } else {
      stats.droppedJournalFull.increment();
      logDrop("the journal is full (" + journal.sizeBytes() + " bytes)");
    }
  }

  /** One step of the replay; returns how much work it did. */
  private int replayStep(boolean stop) {
    if (batch != null) {
      if (batchPending.get() > 0) {
        return 0;
      }
      List<Journal.Entry> done = batch;
      batch = null;
      if (batchFailed) {
        journal.rewind();
        nextReplayNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
        backoffMillis = Math.min(2_000, backoffMillis * 2);
        return 0;
      }
      journal.commit(done.get(done.size() - 1).end());
      backoffMillis = 100;
      return done.size();
    }
    if (mode == Mode.DIRECT || stop || System.nanoTime() < nextReplayNanos) {
      return 0;
    }
    List<Journal.Entry> entries = journal.read(REPLAY_BATCH);
    if (entries.isEmpty()) {
      if (journal.isFullyRead() && failedDirect.isEmpty() && queue.isEmpty()) {
        switchMode(Mode.DIRECT, "the journal is replayed");
      }
      return 0;
    }
    batch = entries;
    batchFailed = false;
    batchPending.set(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      try {
        sender.send(entries.get(i).event(), replayDone);
      } catch (RuntimeException failure) {
        if (sender.isPermanent(failure)) {
          stats.droppedRejected.increment();
          batchPending.decrementAndGet();
          continue;
        }
        log.debug("journal replay: send failed: {}", failure.toString());
        batchFailed = true;
        batchPending.addAndGet(-(entries.size() - i));
        break;
      }
    }
    return entries.size();
  }

  private void switchMode(Mode next, String why) {
    if (mode != next) {
      mode = next;
      if (next == Mode.JOURNAL) {
        log.warn("events: journaling ({})", why);
      } else {
        log.info("events: publishing directly to Kafka again ({})", why);
      }
    }
  }

  private void shutdown() {
    long deadline = System.nanoTime() + flushTimeout.toNanos();
    while (sender != null && (inflightDirect.get() > 0 || batchPending.get() > 0) && System.nanoTime() < deadline) {
      drainFailed();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    if (sender != null) {
      replayStep(true);
      int unacked = inflightDirect.get();
      try {
        sender.close(Duration.ZERO);
      } catch (RuntimeException e) {
        log.warn("events: producer did not close cleanly: {}", e.toString());
      }
      // close(0) fails what was unacknowledged through the callbacks: those go to the journal.
      int journaledAtStop = drainFailed();
      if (unacked > 0 || journaledAtStop > 0) {
        log.info("events: {} events unacknowledged at stop were journaled for the next start", journaledAtStop);
      }
    }
    closed = true;
    Event e;
    while ((e = queue.poll()) != null) {
      queued.decrementAndGet();
      append(e);
    }
    journal.flush();
    fsync.shutdownNow();
    journal.close();
    log.info("events: stopped (published {}, journaled {}, dropped {}; {} bytes left in the journal)",
        stats.published.sum(), stats.journaled.sum(), stats.dropped(), journal.sizeBytes());
    stopped.complete(null);
  }

  private void logDrop(String why) {
    long now = System.nanoTime();
    long last = lastDropLog.get();
    if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLog.compareAndSet(last, now)) {
      log.error("events dropped: {} (dropped so far: {}; see GET /events/stats)", why, JsonEncoder.encode(
          stats.droppedJson(journal.corruptRecords())));
    }
  }
}
