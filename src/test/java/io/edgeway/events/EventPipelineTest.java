package io.edgeway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher's modes with a fake sender that can be switched between up, down and rejecting. */
class EventPipelineTest {
  @TempDir
  Path dir;

  static final class FakeSender implements EventSender {
    final List<String> delivered = new CopyOnWriteArrayList<>();
    volatile boolean up = true;
    volatile String rejectId;

    @Override
    public void send(Event event, Consumer<Exception> done) {
      if (!up) {
        throw new IllegalStateException("metadata not available");
      }
      if (event.id().equals(rejectId)) {
        done.accept(new PermanentFailure());
        return;
      }
      delivered.add(event.id());
      done.accept(null);
    }

    @Override
    public boolean isPermanent(Exception failure) {
      return failure instanceof PermanentFailure;
    }

    @Override
    public void close(Duration timeout) {}
  }

  static final class PermanentFailure extends Exception {}

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  private EventPipeline pipeline(EventSender sender, long maxBytes, int capacity) throws Exception {
    EventPipeline p = new EventPipeline(Journal.open(dir, maxBytes, 1 << 16), sender, capacity, Duration.ofSeconds(2),
        Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofMillis(20));
    p.start();
    return p;
  }

  @Test
  void journalsWhileKafkaIsDownAndReplaysInOrderWhenItIsBack() throws Exception {
    FakeSender kafka = new FakeSender();
    EventPipeline p = pipeline(kafka, 1 << 20, 1000);
    p.offer(JournalTest.event(0));
    await(() -> kafka.delivered.size() == 1);
    kafka.up = false;
    for (int i = 1; i <= 50; i++) {
      p.offer(JournalTest.event(i));
    }
    await(() -> p.stats().journaled.sum() == 50);
    assertThat(p.mode()).isEqualTo(EventPipeline.Mode.JOURNAL);
    kafka.up = true;
    await(() -> kafka.delivered.size() == 51 && p.mode() == EventPipeline.Mode.DIRECT);
    for (int i = 0; i <= 50; i++) {
      assertThat(kafka.delivered.get(i)).isEqualTo("id-" + i);
    }
    p.offer(JournalTest.event(51));
    await(() -> kafka.delivered.size() == 52);
    p.stop().get(10, TimeUnit.SECONDS);
    assertThat(p.stats().dropped()).isZero();
  }

  /** Accepts every send but acknowledges only when told: a broker that stalls without failing. */
  static final class StallingSender implements EventSender {
    final List<Event> sent = new CopyOnWriteArrayList<>();
    final List<Consumer<Exception>> callbacks = new CopyOnWriteArrayList<>();

    @Override
    public void send(Event event, Consumer<Exception> done) {
      sent.add(event);
      callbacks.add(done);
    }

    void acknowledgeAll() {
      for (int i = 0; i < sent.size(); i++) {
        callbacks.get(i).accept(null);
      }
    }

    @Override
    public boolean isPermanent(Exception failure) {
      return false;
    }

    @Override
    public void close(Duration timeout) {}
  }

  @Test
  void journalsOnceKafkaOwesAcknowledgementsForTheStallTimeAndNotBefore() throws Exception {
    StallingSender kafka = new StallingSender();
    EventPipeline p = pipeline(kafka, 1 << 20, 1000); // stall time: 2 s
    p.offer(JournalTest.event(0));
    await(() -> kafka.sent.size() == 1);
    // Acknowledgements that keep coming, however late each one is, are progress.
    for (int i = 1; i <= 3; i++) {
      Thread.sleep(800);
      kafka.acknowledgeAll();
      p.offer(JournalTest.event(i));
      int expected = i + 1;
      await(() -> kafka.sent.size() == expected);
      assertThat(p.mode()).isEqualTo(EventPipeline.Mode.DIRECT);
    }
    // Now nothing is acknowledged: after the stall time, new events go to the journal.
    Thread.sleep(2_500);
    p.offer(JournalTest.event(4));
    await(() -> p.stats().journaled.sum() == 1);
    assertThat(p.mode()).isEqualTo(EventPipeline.Mode.JOURNAL);
    p.stop().get(10, TimeUnit.SECONDS);
  }

  /**
   * A broker that takes every record but acknowledges only some and fails the rest, as a broker
   * dying part-way through a batch does: only the failed records are sent again.
   */
  static final class FlakySender implements EventSender {
    final List<String> delivered = new CopyOnWriteArrayList<>();
    final java.util.Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    volatile boolean flaky = true;

    @Override
    public void send(Event event, Consumer<Exception> done) {
      int n = Integer.parseInt(event.id().substring(3));
      // Every third of the first 60 records fails once: each failure costs a back-off (100 ms).
      if (flaky && n < 60 && n % 3 == 0 && failedOnce.add(event.id())) {
        done.accept(new IllegalStateException("not acknowledged"));
        return;
      }
      delivered.add(event.id());
      done.accept(null);
    }

    @Override
    public boolean isPermanent(Exception failure) {
      return false;
    }

    @Override
    public void close(Duration timeout) {}
  }

  @Test
  void aPartlyFailedBatchResendsOnlyWhatWasNotAcknowledged() throws Exception {
    FlakySender kafka = new FlakySender();
    EventPipeline p = pipeline(kafka, 1 << 22, 10_000);
    for (int i = 0; i < 1_000; i++) {
      p.offer(JournalTest.event(i));
    }
    await(() -> new java.util.HashSet<>(kafka.delivered).size() == 1_000 && p.mode() == EventPipeline.Mode.DIRECT);
    assertThat(kafka.delivered).hasSize(1_000).doesNotHaveDuplicates();
    assertThat(kafka.failedOnce).hasSize(20);
    p.stop().get(10, TimeUnit.SECONDS);
    assertThat(Journal.readAll(dir)).isEmpty();
  }

  @Test
  void whatWasUnacknowledgedAtStopIsSentAfterTheRestartAndNothingElse() throws Exception {
    StallingSender stalled = new StallingSender();
    EventPipeline first = pipeline(stalled, 1 << 20, 1000);
    for (int i = 0; i < 10; i++) {
      first.offer(JournalTest.event(i));
    }
    await(() -> stalled.sent.size() == 10);
    // The broker acknowledged the even ones before the stop; the odd ones were still out.
    for (int i = 0; i < 10; i += 2) {
      stalled.callbacks.get(i).accept(null);
    }
    await(() -> first.stats().published.sum() == 5);
    first.stop().get(10, TimeUnit.SECONDS);

    FakeSender kafka = new FakeSender();
    EventPipeline second = pipeline(kafka, 1 << 20, 1000);
    await(() -> kafka.delivered.size() == 5 && second.mode() == EventPipeline.Mode.DIRECT);
    assertThat(kafka.delivered).containsExactly("id-1", "id-3", "id-5", "id-7", "id-9");
    second.stop().get(10, TimeUnit.SECONDS);
  }

  @Test
  void countsEveryDropWhenTheJournalIsFullAndWhenKafkaRejectsARecord() throws Exception {
    FakeSender kafka = new FakeSender();
    kafka.rejectId = "id-0";
    EventPipeline p = pipeline(kafka, 4096, 1000);
    p.offer(JournalTest.event(0));
    await(() -> p.stats().droppedRejected.sum() == 1);
    kafka.up = false;
    for (int i = 1; i <= 200; i++) {
      p.offer(JournalTest.event(i));
    }
    await(() -> p.stats().journaled.sum() + p.stats().droppedJournalFull.sum() == 200);
    assertThat(p.stats().droppedJournalFull.sum()).isPositive();
    assertThat(p.statsJson().getJsonObject("dropped").getLong("journal_full"))
        .isEqualTo(p.stats().droppedJournalFull.sum());
    p.stop().get(10, TimeUnit.SECONDS);
  }

  @Test
  void journalOnlyWithoutKafkaAndTheJournalSurvivesTheStop() throws Exception {
    EventPipeline p = pipeline(null, 1 << 20, 1000);
    for (int i = 0; i < 5; i++) {
      p.offer(JournalTest.event(i));
    }
    p.stop().get(10, TimeUnit.SECONDS);
    assertThat(p.statsJson().getString("mode")).isEqualTo("journal-only");
    assertThat(Journal.readAll(dir)).extracting(Event::id).containsExactly("id-0", "id-1", "id-2", "id-3", "id-4");
    p.offer(JournalTest.event(9));
    assertThat(p.stats().droppedStopped.sum()).isEqualTo(1);
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
    // Not started: nothing drains the queue.
    EventPipeline p = new EventPipeline(Journal.open(dir, 1 << 20, 1 << 16), null, 16, Duration.ofSeconds(2),
        Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofMillis(20));
    for (int i = 0; i < 20; i++) {
      p.offer(JournalTest.event(i));
    }
    assertThat(p.stats().droppedQueueFull.sum()).isEqualTo(4);
    assertThat(p.statsJson().getInteger("queued")).isEqualTo(16);
    p.start();
    p.stop().get(10, TimeUnit.SECONDS);
    assertThat(Journal.readAll(dir)).hasSize(16);
  }
}
