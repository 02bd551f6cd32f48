package io.edgeway.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a Vert.x future chain on an event loop instead of the test thread. Built on the test
 * thread, a {@code compose} attached to an already completed future runs there, so a response's
 * body chunks can reach the event loop and be dropped before {@code resp.body()} is attached;
 * built inside {@code runOnContext}, every handler is attached in the same event-loop tick as the
 * event it waits for.
 */
public final class OnContext {
  private OnContext() {}

  /** Builds the chain returned by {@code action} on a Vert.x context; completes with its outcome. */
  public static <T> Future<T> run(Vertx vertx, Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    vertx.runOnContext(v -> {
      try {
        action.get().onComplete(promise);
      } catch (Throwable t) {
        promise.fail(t);
      }
    });
    return promise.future();
  }

  /** {@link #run} and waits up to {@code seconds} for the result. */
  public static <T> T await(Vertx vertx, Supplier<Future<T>> action, long seconds) throws Exception {
    return run(vertx, action).await(seconds, TimeUnit.SECONDS);
  }
}
