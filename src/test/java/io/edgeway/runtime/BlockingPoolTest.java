package io.edgeway.runtime;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.config.BlockingPoolConfig;
import io.edgeway.spi.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BlockingPoolTest {
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = TestVertx.create(new VertxOptions().setEventLoopPoolSize(2));
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** What a completion callback saw: the context and thread it ran on, and the task's result. */
  record Completion(Context context, String thread, Object result, Throwable failure) {}

  @Test
  void tasksOfOneEventLoopRunConcurrently() throws Exception {
    BlockingPool pool = new BlockingPool(new BlockingPoolConfig(6, 0));
    try {
      // Each task waits until all six have started: they all succeed only if they ran at the same time.
      CountDownLatch allStarted = new CountDownLatch(6);
      Context loop = vertx.getOrCreateContext();
      Promise<List<Boolean>> results = Promise.promise();
      loop.runOnContext(v -> {
        List<Future<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          tasks.add(pool.run(() -> {
            allStarted.countDown();
            return allStarted.await(10, TimeUnit.SECONDS);
          }));
        }
        Future.all(tasks).map(all -> tasks.stream().map(Future::result).toList()).onComplete(results);
      });
      assertThat(results.future().await(15, TimeUnit.SECONDS)).containsExactly(true, true, true, true, true, true);
    } finally {
      pool.close();
    }
  }

  @Test
  void completesOnTheCallingEventLoop() {
    BlockingPool pool = new BlockingPool(BlockingPoolConfig.defaults());
    try {
      Context first = vertx.getOrCreateContext();
      Context second = vertx.getOrCreateContext();
      for (Context loop : List.of(first, second)) {
        Completion done = runOn(loop, () -> pool.run(() -> Thread.currentThread().getName()));
        assertThat(done.failure()).isNull();
        assertThat((String) done.result()).as("the task ran on the pool").startsWith("edgeway-plugin-blocking-");
        assertThat(done.context()).as("the callback ran on the caller's context").isSameAs(loop);
        assertThat(done.thread()).startsWith("vert.x-eventloop-thread-");
      }
    } finally {
      pool.close();
    }
  }

  @Test
  void failureCompletesOnTheCallingEventLoopWithTheTasksException() {
    BlockingPool pool = new BlockingPool(BlockingPoolConfig.defaults());
    try {
      IOException thrown = new IOException("disk gone");
      Context loop = vertx.getOrCreateContext();
      Completion done = runOn(loop, () -> pool.run(() -> {
        throw thrown;
      }));
      assertThat(done.failure()).isSameAs(thrown);
      assertThat(done.context()).isSameAs(loop);
    } finally {
      pool.close();
    }
  }

  @Test
  void failsAtOncePastMaxQueued() throws Exception {
    BlockingPool pool = new BlockingPool(new BlockingPoolConfig(1, 1));
    try {
      CountDownLatch gate = new CountDownLatch(1);
      Future<String> running = pool.run(() -> awaitGate(gate, "running"));
      Future<String> queued = pool.run(() -> awaitGate(gate, "queued"));
      Future<String> refused = pool.run(() -> "never");
      assertThat(refused.failed()).as("refused at once, not queued").isTrue();
      assertSaturated(refused.cause());
      assertThat(pool.queued()).isEqualTo(1);
      gate.countDown();
      assertThat(running.await(10, TimeUnit.SECONDS)).isEqualTo("running");
      assertThat(queued.await(10, TimeUnit.SECONDS)).isEqualTo("queued");
      // The queue drained: work is accepted again.
      assertThat(pool.run(() -> "later").await(10, TimeUnit.SECONDS)).isEqualTo("later");
    } finally {
      pool.close();
    }
  }

  @Test
  void maxQueuedZeroRefusesWhenEveryThreadIsBusy() throws Exception {
    BlockingPool pool = new BlockingPool(new BlockingPoolConfig(1, 0));
    try {
      CountDownLatch gate = new CountDownLatch(1);
      Future<String> running = pool.run(() -> awaitGate(gate, "running"));
      Future<String> refused = pool.run(() -> "never");
      assertThat(refused.failed()).isTrue();
      assertSaturated(refused.cause());
      gate.countDown();
      assertThat(running.await(10, TimeUnit.SECONDS)).isEqualTo("running");
    } finally {
      pool.close();
    }
  }

  @Test
  void closeFailsWaitingTasksInterruptsRunningOnesAndRefusesNewOnes() throws Exception {
    BlockingPool pool = new BlockingPool(new BlockingPoolConfig(1, 4));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    Future<String> running = pool.run(() -> {
      started.countDown();
      return awaitGate(never, "running");
    });
    Future<String> waiting = pool.run(() -> "waiting");
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    pool.close();
    assertThat(failureOf(waiting)).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.status()).isEqualTo(503);
      assertThat(e.code()).isEqualTo("blocking_pool_closed");
    });
    assertThat(failureOf(running)).as("the running task was interrupted").isInstanceOf(InterruptedException.class);
    Future<String> late = pool.run(() -> "late");
    assertThat(late.failed()).isTrue();
    assertThat(((GatewayException) late.cause()).code()).isEqualTo("blocking_pool_closed");
  }

  private static Throwable failureOf(Future<?> future) {
    CompletableFuture<?> completion = future.toCompletionStage().toCompletableFuture();
    assertThatThrownBy(() -> completion.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    return future.cause();
  }

  private static String awaitGate(CountDownLatch gate, String result) throws InterruptedException {
    if (!gate.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("gate never opened");
    }
    return result;
  }

  private static void assertSaturated(Throwable cause) {
    assertThat(cause).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.status()).isEqualTo(503);
      assertThat(e.code()).isEqualTo("blocking_pool_saturated");
    });
  }

  /** Calls {@code start} on {@code loop} and waits for the future's callback there. */
  private static Completion runOn(Context loop, java.util.function.Supplier<Future<?>> start) {
    AtomicReference<Completion> seen = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    loop.runOnContext(v -> start.get().onComplete(ar -> {
      seen.set(new Completion(Vertx.currentContext(), Thread.currentThread().getName(), ar.result(), ar.cause()));
      done.countDown();
    }));
    try {
      assertThat(done.await(10, TimeUnit.SECONDS)).as("completed").isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return seen.get();
  }
}
