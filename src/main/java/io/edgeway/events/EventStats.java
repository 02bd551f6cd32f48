package io.edgeway.events;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the event pipeline, shown at {@code GET /events/stats} on the admin API. */
final class EventStats {
  /** Every event handed to the pipeline (one per request, plus state events). */
  final LongAdder created = new LongAdder();
  final LongAdder published = new LongAdder();
  final LongAdder journaled = new LongAdder();
  final LongAdder replayed = new LongAdder();
  final LongAdder droppedQueueFull = new LongAdder();
  final LongAdder droppedJournalFull = new LongAdder();
  final LongAdder droppedRejected = new LongAdder();
  final LongAdder droppedStopped = new LongAdder();

  long dropped() {
    return droppedQueueFull.sum() + droppedJournalFull.sum() + droppedRejected.sum() + droppedStopped.sum();
  }

  JsonObject droppedJson(long corrupt) {
    return new JsonObject()
        .put("queue_full", droppedQueueFull.sum())
        .put("journal_full", droppedJournalFull.sum())
        .put("rejected", droppedRejected.sum())
        .put("stopped", droppedStopped.sum())
        .put("corrupt_segments", corrupt);
  }
}
