package io.edgeway.events;

import io.edgeway.exchange.JsonEncoder;
import io.edgeway.runtime.MetricSink;
import io.vertx.core.json.JsonObject;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path of every event from an event loop to a broker:
 *
 * <pre>
 * event loop --offer (lock-free, bounded)--> queue --publisher thread--> journal (write-ahead) --> broker
 *                                                                            ^ acknowledged, per record
 * </pre>
 *
 * The publisher thread owns the journal and the sender calls. Every event is appended to the
 * journal first and then sent; the broker's acknowledgement of each record is written back to the
 * journal ({@link Journal#acknowledge}), so whatever happens (a broker outage, a failed batch, a
 * stop, a SIGKILL) the records still to send are exactly the unacknowledged ones, and a replay
 * resends nothing the broker confirmed. While the broker acknowledges, events go out as soon as
 * they are appended (mode DIRECT, sent from memory); once a send fails, blocks out, or
 * acknowledgements stall, new events only accumulate in the journal (mode JOURNAL), and after a
 * back-off the first unacknowledged record is sent as a probe; when it is acknowledged the rest
 * follows in order and publishing is direct again. Without a sender, events are only journaled.
 */
final class EventPipeline {
  private static final Logger log = LoggerFactory.getLogger(EventPipeline.class);
  private static final int REPLAY_BATCH = 500;
  /** Records handed to the sender and not yet acknowledged, at most (beyond: they wait on disk). */
  private static final int MAX_IN_FLIGHT = 20_000;
  private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int WAKE_DEPTH = 512;

  enum Mode { DIRECT, JOURNAL }

  private final String name;
  private final Journal journal;
  private final EventSender sender;
  private final int capacity;
  private final long stallNanos;
  private final Duration flushTimeout;
  private final long publishIntervalNanos;
  private final EventStats stats = new EventStats();

  private final ConcurrentLinkedQueue<Event> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  /** Sender callbacks, handed to the publisher thread (which alone touches the journal). */
  private final ConcurrentLinkedQueue<Sent> outcomes = new ConcurrentLinkedQueue<>();
  /** Publisher thread only: records with the sender, by start position. */
  private final Map<Journal.Position, Journal.Span> inFlight = new HashMap<>();
  private final AtomicInteger inFlightCount = new AtomicInteger();
  /**
   * Retryable failures reported so far. A send loop stops at the first one: a producer without
   * metadata fails each send only after max-block, so going on would hold the publisher thread
   * for max-block per record (500 records: minutes) while the queue fills.
   */
  private final AtomicLong failures = new AtomicLong();
  private final List<Event> directEvents = new ArrayList<>();
  private final List<Journal.Span> directSpans = new ArrayList<>();
  // Stall detection, publisher thread only: acknowledgements are counted by the callbacks and
  // compared once per pass, so no callback and no send reads the clock.
  private long lastProgressNanos = System.nanoTime();
  private long lastAcknowledged;
  private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final Thread thread;
  private final ScheduledExecutorService fsync;

  private volatile boolean parked;
  private volatile boolean stopping;
  private volatile boolean closed;
  private volatile Mode mode;

  // Health, publisher thread only. Unhealthy: nothing new is sent until a probe batch succeeds.
  private boolean healthy;
  private boolean probing;
  private boolean failedSinceProbe;
  private long nextProbeNanos;
  private long backoffMillis = 100;

  EventPipeline(Journal journal, EventSender sender, int capacity, Duration stall, Duration fsyncInterval,
      Duration flushTimeout, Duration publishInterval) {
    this("events", journal, sender, capacity, stall, fsyncInterval, flushTimeout, publishInterval);
  }

  EventPipeline(String name, Journal journal, EventSender sender, int capacity, Duration stall,
      Duration fsyncInterval, Duration flushTimeout, Duration publishInterval) {
    this.name = requireNonNull(name, "name");
    this.journal = requireNonNull(journal, "journal");
    this.sender = sender;
    this.capacity = capacity;
    this.stallNanos = stall.toNanos();
    this.flushTimeout = flushTimeout;
    this.publishIntervalNanos = publishInterval.toNanos();
    this.healthy = sender != null;
    // Start journaled when a previous run left events: they go first, in order.
    this.mode = sender != null && journal.isDrained() ? Mode.DIRECT : Mode.JOURNAL;
    this.thread = new Thread(this::run, "edgeway-events-" + name);
    this.thread.setDaemon(true);
    this.fsync = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "edgeway-events-" + name + "-fsync");
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

  /** Drains the queue, waits up to the flush timeout for acknowledgements; completes when done. */
  CompletableFuture<Void> stop() {
    stopping = true;
    LockSupport.unpark(thread);
    return stopped;
  }

  Mode mode() {
    return mode;
  }

  /** kafka, rabbitmq or journal (no broker). */
  String name() {
    return name;
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
        .put("inflight", inFlightCount.get())
        .put("published", stats.published.sum())
        .put("journaled", stats.journaled.sum())
        .put("replayed", stats.replayed.sum())
        .put("dropped", stats.droppedJson(journal.corruptRecords()))
        .put("droppedTotal", stats.dropped())
        .put("journalBytes", journal.pendingBytes())
        .put("journalSegments", journal.segmentCount());
  }

  private void run() {
    try {
      while (true) {
        boolean stop = stopping;
        int work = processOutcomes();
        work += drainQueue();
        if (sender != null && !stop) {
          work += sendFromJournal();
        }
        journal.persist();
        inFlightCount.set(inFlight.size());
        mode = sender != null && healthy && journal.isFullyRead() ? Mode.DIRECT : Mode.JOURNAL;
        if (stop && queue.isEmpty()) {
          break;
        }
        if (work == 0) {
          parked = true;
          if (queue.isEmpty() && outcomes.isEmpty() && !stopping) {
            LockSupport.parkNanos(publishIntervalNanos);
          }
          parked = false;
        }
      }
      shutdown();
    } catch (Throwable t) {
      log.error("events ({}): publisher failed; events are no longer published", name, t);
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

  /**
   * The callback of one sent record, and then what the sender reported for it: it queues itself
   * for the publisher thread, which applies it to the journal (one object per record, not two).
   */
  private final class Sent implements Consumer<Exception> {
    private final Journal.Span span;
    private final boolean fromJournal;
    // Written before the queue hands this to the publisher thread, which reads it after.
    private Exception failure;

    Sent(Journal.Span span, boolean fromJournal) {
      this.span = span;
      this.fromJournal = fromJournal;
    }

    @Override
    public void accept(Exception failure) {
      if (failure == null) {
        // Counted here, not on the publisher thread, so stall detection sees acknowledgements
        // even while the publisher is blocked in a send.
        stats.published.increment();
      } else if (!sender.isPermanent(failure)) {
        failures.incrementAndGet();
      }
      // Applied at the publisher's next pass (at most publish-interval away): waking it per
      // acknowledgement would cost a thread switch per producer batch for nothing.
      this.failure = failure;
      outcomes.add(this);
    }
  }

  private int processOutcomes() {
    int n = 0;
    Sent o;
    while ((o = outcomes.poll()) != null) {
      n++;
      inFlight.remove(o.span.start());
      if (o.failure == null) {
        journal.acknowledge(o.span);
        if (o.fromJournal) {
          stats.replayed.increment();
        }
      } else if (sender.isPermanent(o.failure)) {
        // Never deliverable: acknowledged as done so it is not retried forever, and counted.
        journal.acknowledge(o.span);
        stats.droppedRejected.increment();
        logDrop("the broker rejected an event: " + o.failure);
      } else {
        unhealthy("the broker did not acknowledge an event: " + o.failure);
        failedSinceProbe = true;
        journal.rewind();
        if (!o.fromJournal) {
          stats.journaled.increment(); // sent at once, failed: it now waits in the journal
        }
      }
    }
    return n;
  }

  private int drainQueue() {
    if (queue.isEmpty()) {
      return 0;
    }
    if (healthy && acknowledgementsStalled()) {
      unhealthy("no acknowledgement for " + stallNanos / 1_000_000 + " ms");
    }
    boolean direct = sender != null && healthy;
    int n = 0;
    Event e;
    while (n < 4096 && (e = queue.poll()) != null) {
      queued.decrementAndGet();
      n++;
      Journal.Span span = journal.append(e);
      if (span == null) {
        stats.droppedJournalFull.increment();
        logDrop("the journal is full (" + journal.sizeBytes() + " bytes)");
        continue;
      }
      direct = direct && inFlight.size() + directSpans.size() < MAX_IN_FLIGHT && journal.claim(span);
      if (direct) {
        directEvents.add(e);
        directSpans.add(span);
      } else {
        stats.journaled.increment();
      }
    }
    // On disk (the page cache survives a SIGKILL) before the broker can see it.
    journal.flush();
    long failed = failures.get();
    for (int i = 0; i < directEvents.size(); i++) {
      if (!send(directEvents.get(i), directSpans.get(i), false)) {
        // The rest stays in the journal; the cursor goes back to read it from there.
        stats.journaled.add(directEvents.size() - i);
        journal.rewind();
        break;
      }
      if (failures.get() != failed) {
        // Failed through its callback (counted as journaled when applied); the rest waits too.
        stats.journaled.add(directEvents.size() - i - 1);
        journal.rewind();
        break;
      }
    }
    directEvents.clear();
    directSpans.clear();
    return n;
  }

  /** Sends one record; false when the sender refused it for now (the pipeline is then unhealthy). */
  private boolean send(Event e, Journal.Span span, boolean fromJournal) {
    inFlight.put(span.start(), span);
    try {
      sender.send(e, new Sent(span, fromJournal));
      return true;
    } catch (RuntimeException failure) {
      inFlight.remove(span.start());
      if (sender.isPermanent(failure)) {
        journal.acknowledge(span);
        stats.droppedRejected.increment();
        logDrop("the broker rejected an event: " + failure);
        return true;
      }
      unhealthy("send failed: " + failure);
      failedSinceProbe = true;
      return false;
    }
  }

  /**
   * Sends what the journal holds beyond the cursor: everything, in order, while healthy; a probe
   * batch after a back-off otherwise. Returns how much work it did.
   */
  private int sendFromJournal() {
    if (!healthy) {
      if (!inFlight.isEmpty() || System.nanoTime() < nextProbeNanos) {
        return 0;
      }
      if (probing) {
        probing = false;
        if (failedSinceProbe) {
          backoffMillis = Math.min(2_000, backoffMillis * 2);
          nextProbeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
          return 0;
        }
        healthy();
        return 1;
      }
      journal.rewind();
      // One record: an acknowledgement proves the broker is back; the rest follows at once.
      List<Journal.Entry> batch = unsent(1);
      if (batch.isEmpty()) {
        healthy();
        return 1;
      }
      probing = true;
      failedSinceProbe = false;
      send(batch.get(0).event(), batch.get(0).span(), true);
      return 1;
    }
    int sent = 0;
    long failed = failures.get();
    while (healthy && sent < 4 * REPLAY_BATCH && inFlight.size() < MAX_IN_FLIGHT && !journal.isFullyRead()
        && failures.get() == failed) {
      List<Journal.Entry> batch = unsent(Math.min(REPLAY_BATCH, MAX_IN_FLIGHT - inFlight.size()));
      if (batch.isEmpty()) {
        break;
      }
      for (Journal.Entry entry : batch) {
        if (!send(entry.event(), entry.span(), true) || failures.get() != failed) {
          journal.rewind(); // what was read but not sent is read again
          break;
        }
        sent++;
      }
    }
    return sent;
  }

  /** Reads records beyond the cursor that are neither acknowledged nor with the sender. */
  private List<Journal.Entry> unsent(int max) {
    List<Journal.Entry> out = new ArrayList<>();
    while (out.size() < max) {
      List<Journal.Entry> read = journal.read(max - out.size());
      if (read.isEmpty()) {
        break;
      }
      for (Journal.Entry entry : read) {
        if (!inFlight.containsKey(entry.span().start())) {
          out.add(entry);
        }
      }
    }
    return out;
  }

  /**
   * True when the broker owes acknowledgements and has sent none for the stall time. Sampled once
   * per pass over the queue (every few milliseconds), which is precise enough for a stall of seconds.
   */
  private boolean acknowledgementsStalled() {
    long now = System.nanoTime();
    long acknowledged = stats.published.sum();
    if (acknowledged != lastAcknowledged || inFlight.isEmpty()) {
      lastAcknowledged = acknowledged;
      lastProgressNanos = now;
      return false;
    }
    return now - lastProgressNanos > stallNanos;
  }

  private void unhealthy(String why) {
    if (healthy) {
      healthy = false;
      mode = Mode.JOURNAL;
      probing = false;
      nextProbeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
      log.warn("events ({}): journaling ({})", name, why);
    }
  }

  private void healthy() {
    healthy = true;
    backoffMillis = 100;
    lastProgressNanos = System.nanoTime();
    log.info("events ({}): the broker acknowledges again; sending the journal's backlog and new events", name);
  }

  private void shutdown() {
    long deadline = System.nanoTime() + flushTimeout.toNanos();
    while (sender != null && !inFlight.isEmpty() && System.nanoTime() < deadline) {
      processOutcomes();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    if (sender != null) {
      try {
        sender.close(Duration.ZERO);
      } catch (RuntimeException e) {
        log.warn("events ({}): the sender did not close cleanly: {}", name, e.toString());
      }
      // close(0) fails what was unacknowledged through the callbacks: it stays in the journal.
      processOutcomes();
      if (!inFlight.isEmpty()) {
        log.info("events ({}): {} events unacknowledged at stop stay in the journal for the next start", name,
            inFlight.size());
      }
    }
    closed = true;
    Event e;
    while ((e = queue.poll()) != null) {
      queued.decrementAndGet();
      if (journal.append(e) != null) {
        stats.journaled.increment();
      } else {
        stats.droppedJournalFull.increment();
      }
    }
    journal.flush();
    journal.persist();
    fsync.shutdownNow();
    long pending = journal.pendingBytes();
    journal.close();
    log.info("events ({}): stopped (published {}, journaled {}, dropped {}; {} bytes unacknowledged in the journal)",
        name, stats.published.sum(), stats.journaled.sum(), stats.dropped(), pending);
    stopped.complete(null);
  }

  private void logDrop(String why) {
    long now = System.nanoTime();
    long last = lastDropLog.get();
    if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLog.compareAndSet(last, now)) {
      log.error("events ({}) dropped: {} (dropped so far: {}; see GET /events/stats)", name, why,
          JsonEncoder.encode(stats.droppedJson(journal.corruptRecords())));
    }
  }
}
