package io.edgeway.testkit;

import static java.util.Objects.requireNonNull;

import io.edgeway.spi.FilterContext;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link FilterContext} for unit tests: a route id, the services a test offers, a clock the test
 * controls, and the filter's {@link #onClose} actions, run by {@link #close()} (use
 * try-with-resources, or close it in {@code @AfterEach}). A Vert.x instance is created on first use
 * of {@link #vertx()} unless the test passes its own, and closed with the context.
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

  /**
   * The clock given to the filter.
   *
   * @return the clock, the system UTC clock unless the test set one
   */
  public Clock clock() {
    return clock;
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
