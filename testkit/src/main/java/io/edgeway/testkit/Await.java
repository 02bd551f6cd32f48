package io.edgeway.testkit;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a filter's {@code Future} in a test thread (never on an event loop). A filter run against
 * a {@link ScriptedChain} usually completes at once; one that does I/O or blocking work completes later.
 */
public final class Await {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private Await() {}

  /**
   * The future's result, waiting up to 10 seconds.
   *
   * @param future the future
   * @param <T> the result type
   * @return the result
   * @throws AssertionError when the future failed (with the failure as cause) or did not complete
   */
  public static <T> T result(Future<T> future) {
    return result(future, DEFAULT_TIMEOUT);
  }

  /**
   * The future's result, waiting up to {@code timeout}.
   *
   * @param future the future
   * @param timeout how long to wait
   * @param <T> the result type
   * @return the result
   * @throws AssertionError when the future failed (with the failure as cause) or did not complete
   */
  public static <T> T result(Future<T> future, Duration timeout) {
    try {
      return toCompletable(future).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected a result, the future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the future did not complete within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * The future's failure, waiting up to 10 seconds.
   *
   * @param future the future
   * @return the failure, e.g. a {@link io.edgeway.spi.GatewayException} to check status and code of
   * @throws AssertionError when the future succeeded or did not complete
   */
  public static Throwable failure(Future<?> future) {
    try {
      Object value = toCompletable(future).get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, the future succeeded with " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("the future did not complete within " + DEFAULT_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static <T> CompletableFuture<T> toCompletable(Future<T> future) {
    if (future == null) {
      throw new AssertionError("the filter returned null instead of a Future");
    }
    CompletableFuture<T> done = new CompletableFuture<>();
    future.onComplete(done::complete, done::completeExceptionally);
    return done;
  }
}
