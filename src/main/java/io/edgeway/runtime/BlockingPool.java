package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.BlockingPoolConfig;
import io.edgeway.spi.BlockingExecutor;
import io.edgeway.spi.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool behind {@code FilterContext.blocking()}: one per gateway, shared by every plugin,
 * route and event loop, registered in {@link GatewayServices} as the {@link BlockingExecutor}.
 *
 * <p>Its own threads rather than Vert.x's {@code executeBlocking}: that one orders the tasks of a
 * context by default (one loop's tasks ran one after the other), and its queue is unbounded.
 * Here tasks run as soon as a thread is free, and at most {@code max-queued} wait.
 */
public final class BlockingPool implements BlockingExecutor {
  static final GatewayException SATURATED =
      new GatewayException(503, "blocking_pool_saturated", "Too much blocking work waiting");
  static final GatewayException CLOSED =
      new GatewayException(503, "blocking_pool_closed", "The gateway is stopping");
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final ThreadPoolExecutor executor;

  public BlockingPool(BlockingPoolConfig config) {
    requireNonNull(config, "config");
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    // A SynchronousQueue hands a task only to an idle thread: max-queued 0 means no waiting at all.
    BlockingQueue<Runnable> queue = config.maxQueued() == 0 ? new SynchronousQueue<>()
        : new ArrayBlockingQueue<>(config.maxQueued());
    executor = new ThreadPoolExecutor(config.size(), config.size(), 60, TimeUnit.SECONDS, queue, task -> {
      Thread thread = new Thread(task, "edgeway-plugin-blocking-" + pool + "-" + threads.incrementAndGet());
      // A stuck plugin task must not keep the JVM alive after the gateway stopped.
      thread.setDaemon(true);
      return thread;
    }, new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true);
  }

  @Override
  public <T> Future<T> run(Callable<T> task) {
    requireNonNull(task, "task");
    Task<T> job = new Task<>(task, Vertx.currentContext());
    try {
      executor.execute(job);
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(executor.isShutdown() ? CLOSED : SATURATED);
    }
    return job.promise.future();
  }

  /** Tasks waiting for a thread now. */
  public int queued() {
    return executor.getQueue().size();
  }

  /** Tasks running now (approximate, as {@link ThreadPoolExecutor#getActiveCount()}). */
  public int active() {
    return executor.getActiveCount();
  }

  /**
   * Stops the pool: tasks still waiting fail with 503 {@code blocking_pool_closed}, running ones
   * are interrupted, later ones are refused the same way. Does not wait for the threads.
   */
  public void close() {
    List<Runnable> neverStarted = executor.shutdownNow();
    for (Runnable r : neverStarted) {
      ((Task<?>) r).fail(CLOSED);
    }
  }

  private static final class Task<T> implements Runnable {
    private final Callable<T> callable;
    private final Context context;
    private final Promise<T> promise = Promise.promise();

    Task(Callable<T> callable, Context context) {
      this.callable = callable;
      this.context = context;
    }

    @Override
    public void run() {
      T result;
      try {
        result = callable.call();
      } catch (Throwable t) {
        fail(t);
        if (t instanceof VirtualMachineError error) {
          throw error;
        }
        return;
      }
      if (context == null) {
        promise.complete(result);
      } else {
        // Callbacks then run on the caller's event loop, where the exchange may be touched.
        context.runOnContext(v -> promise.complete(result));
      }
    }

    void fail(Throwable failure) {
      if (context == null) {
        promise.fail(failure);
      } else {
        context.runOnContext(v -> promise.fail(failure));
      }
    }
  }
}
