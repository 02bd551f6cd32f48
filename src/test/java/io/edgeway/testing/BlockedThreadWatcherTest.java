package io.edgeway.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The safety net is real: an event loop blocked past Vert.x's limit makes the watcher fail the test. */
class BlockedThreadWatcherTest {

  @Test
  void blockedEventLoopIsReported() throws Exception {
    Vertx vertx = TestVertx.create(new VertxOptions()
        .setBlockedThreadCheckInterval(100)
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(200)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try {
      CountDownLatch done = new CountDownLatch(1);
      vertx.runOnContext(v -> {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
        while (System.nanoTime() < until) {
          Thread.onSpinWait(); // deliberately hog the event loop
        }
        done.countDown();
      });
      done.await(10, TimeUnit.SECONDS);
    } finally {
      // Closing Vert.x stops its checker thread, so no warning can arrive after the assertion.
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    try {
      // What the extension does after every test; the warnings above must make it fail.
      assertThatThrownBy(() -> new BlockedThreadWatcher().afterEach(null))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("blocked");
    } finally {
      new BlockedThreadWatcher().beforeEach(null); // this test's own deliberate warnings are spent
    }
  }
}
