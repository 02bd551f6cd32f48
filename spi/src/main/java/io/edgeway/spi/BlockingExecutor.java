package io.edgeway.spi;

import io.vertx.core.Future;
import java.util.concurrent.Callable;

/**
 * Runs blocking work (file I/O, a JDBC call, a blocking SDK) off the event loop, on a bounded pool
 * of worker threads the gateway shares among all plugins ({@code plugins.blocking-pool} in the
 * configuration). Reach it through {@link FilterContext#blocking()}; keep the reference.
 *
 * <p>Prefer this to {@code vertx.executeBlocking(...)}: that call is ordered per Vert.x context by
 * default, so the blocking tasks of one event loop run one after the other (six 300 ms tasks on two
 * loops take about a second, in waves). Tasks given to {@link #run} are not ordered: those of one
 * event loop run concurrently, up to the pool's size.
 *
 * <p>The queue is bounded: when {@code plugins.blocking-pool.max-queued} tasks already wait for a
 * thread, {@link #run} fails at once with a {@link GatewayException} 503
 * {@code blocking_pool_saturated} (returned from a filter, the client gets that answer) instead of
 * building a backlog that would outlive the requests waiting for it. After the gateway stopped,
 * tasks fail with a 503 {@code blocking_pool_closed}; tasks still running then are interrupted.
 */
public interface BlockingExecutor {

  /**
   * Runs {@code task} on a worker thread.
   *
   * <p>When called on a Vert.x context (a filter runs on the request's event loop), the returned
   * future completes on that same context, so its callbacks may touch the exchange and the request
   * like any other filter code. Called from a thread without a context, the future completes on
   * the worker thread.
   *
   * @param task the blocking work; its result, or what it throws, completes the future
   * @param <T> the result type
   * @return the task's result, or its exception; or a {@link GatewayException} 503 at once when the
   *     pool is saturated ({@code blocking_pool_saturated}) or closed ({@code blocking_pool_closed})
   */
  <T> Future<T> run(Callable<T> task);
}
