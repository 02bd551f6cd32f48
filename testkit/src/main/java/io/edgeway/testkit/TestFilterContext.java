package io.edgeway.testkit;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.BlockingPoolConfig;
import io.edgeway.runtime.BlockingPool;
import io.edgeway.spi.BlockingExecutor;
import io.edgeway.spi.FilterContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link FilterContext} for unit tests: a route id, the services a test offers, a clock the test
 * controls, the gateway's own blocking pool (with its default bounds, or the test's), the
 * validation flag, and the filter's {@link #onClose} actions, run by {@link #close()} (use
 * try-with-resources, or close it in {@code @AfterEach}). A Vert.x instance is created on first use
 * of {@link #vertx()} unless the test passes its own, and closed with the context; so is the pool.
 *
 * <pre>{@code
 * try (TestFilterContext context = TestFilterContext.forRoute("orders").clock(clock)) {
 *   GatewayFilter filter = new MyFactory().create(config, context);
 *   ...
 * }
 * }</pre>
 */
public final class TestFilterContext implements FilterContext, AutoCloseable {
  private final String routeId;
  private final Map<Class<?>, Object> services = new LinkedHashMap<>();
  private final List<Runnable> closeActions = new ArrayList<>();
  private Clock clock = Clock.systemUTC();
  private boolean validating;
  private BlockingPoolConfig poolConfig = BlockingPoolConfig.defaults();
  private BlockingPool pool;
  private Vertx vertx;
  private boolean ownsVertx;
  private boolean closed;

  private TestFilterContext(String routeId) {
    this.routeId = requireNonNull(routeId, "routeId");
  }

  /**
   * A context for a route.
   *
   * @param routeId the route id the filter is created for
   * @return the context
   */
  public static TestFilterContext forRoute(String routeId) {
    return new TestFilterContext(routeId);
  }

  /**
   * Uses the test's Vert.x instance (not closed by {@link #close()}).
   *
   * @param vertx the instance
   * @return this context
   */
  public TestFilterContext vertx(Vertx vertx) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.ownsVertx = false;
    return this;
  }

  /**
   * Uses a clock the test controls, e.g. a {@link ManualClock}.
   *
   * @param clock the clock
   * @return this context
   */
  public TestFilterContext clock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Makes {@link #validating()} true, as in {@code --check} and the gateway's validation pass: the
   * blocking pool then refuses work, as the gateway's does.
   *
   * @param validating whether {@code create()} runs for validation
   * @return this context
   */
  public TestFilterContext validating(boolean validating) {
    this.validating = validating;
    return this;
  }

  /**
   * Bounds the blocking pool as {@code plugins.blocking-pool} would (e.g. to test saturation).
   *
   * @param size worker threads
   * @param maxQueued tasks that may wait for a thread before {@code run} fails with 503
   * @return this context
   */
  public TestFilterContext blockingPool(int size, int maxQueued) {
    this.poolConfig = new BlockingPoolConfig(size, maxQueued);
    return this;
  }

  /**
   * Offers a service to the filter, as the gateway offers its services.
   *
   * @param type the type the filter asks for
   * @param service the implementation (a fake, or a real one)
   * @param <T> the service type
   * @return this context
   */
  public <T> TestFilterContext service(Class<T> type, T service) {
    services.put(requireNonNull(type, "type"), type.cast(requireNonNull(service, "service")));
    return this;
  }

  @Override
  public synchronized Vertx vertx() {
    if (vertx == null) {
      vertx = Vertx.vertx();
      ownsVertx = true;
    }
    return vertx;
  }

  @Override
  public String routeId() {
    return routeId;
  }

  @Override
  public <T> Optional<T> service(Class<T> type) {
    return Optional.ofNullable(services.get(type)).map(type::cast);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public boolean validating() {
    return validating;
  }

  @Override
  public synchronized BlockingExecutor blocking() {
    if (validating) {
      return new BlockingExecutor() {
        @Override
        public <T> Future<T> run(Callable<T> task) {
          return Future.failedFuture(
              new IllegalStateException("blocking work is refused while validating (the filter is discarded)"));
        }
      };
    }
    if (pool == null) {
      pool = new BlockingPool(poolConfig);
    }
    return pool;
  }

  @Override
  public synchronized void onClose(Runnable action) {
    if (closed) {
      throw new IllegalStateException("context already closed");
    }
    closeActions.add(requireNonNull(action, "action"));
  }

  /**
   * How many {@link #onClose} actions the filter registered (and {@link #close()} will run).
   *
   * @return the count
   */
  public synchronized int closeActions() {
    return closeActions.size();
  }

  /**
   * Runs the filter's {@link #onClose} actions, as the gateway does when the route is discarded,
   * then closes the Vert.x instance this context created. Every action runs even when one throws;
   * the first failure is rethrown after.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException first = null;
    for (Runnable action : closeActions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (pool != null) {
      pool.close();
    }
    if (ownsVertx && vertx != null) {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException("Vert.x did not close within 10 s", e);
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
