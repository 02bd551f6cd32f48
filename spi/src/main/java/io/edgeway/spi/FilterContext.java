package io.edgeway.spi;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;

/**
 * What a {@link GatewayFilterFactory} can use while creating a filter for a route.
 *
 * <p>{@link GatewayFilterFactory#create} is called for two reasons: to validate a configuration
 * ({@code --check}, and the same step at start-up and before each reload), where the filter is
 * discarded right away, and to build the routes that serve requests. {@link #validating()} tells
 * them apart.
 */
public interface FilterContext {

  /** The Vert.x instance the gateway runs on (for timers and async clients). */
  Vertx vertx();

  /** The id of the route the filter is created for. */
  String routeId();

  /**
   * A service the gateway shares with filters, looked up by its SPI interface. Look it up in
   * {@link GatewayFilterFactory#create} and keep the reference. A plugin can use these:
   * <ul>
   *   <li>{@link TokenBuckets}: token buckets by key, per node or in the gateway's Redis;
   *   <li>{@link SharedCache}: a bounded in-memory cache of bytes with a time to live per entry;
   *   <li>{@link StateEventPublisher}: state-change events through the gateway's event pipeline.
   * </ul>
   * All three are always offered (when the gateway runs without Redis or events, buckets are per
   * node and events are logged only), and each is namespaced by this filter's name. During
   * validation they are views that open no connection and send nothing (see each type).
   *
   * <p>While {@link #validating()}, services are validation views built from the configuration
   * alone: a store that is configured but not connected, a key source that fetched nothing. They
   * answer questions about the configuration (does this provider exist?) but do no I/O; a service
   * that has no validation view is absent then.
   *
   * <p>Other types the gateway registers internally may also be found, but only the types of this
   * package are meant for plugins: a plugin's class loader sees no other gateway class.
   *
   * @param type the service type, e.g. {@code TokenBuckets.class}
   * @return the service, or empty when this gateway does not offer it
   */
  <T> Optional<T> service(Class<T> type);

  /**
   * Registers a callback run when the route's filters are discarded (shutdown or a reload that
   * replaced the route), to cancel timers and close clients.
   */
  void onClose(Runnable action);

  /**
   * True when {@link GatewayFilterFactory#create} runs to validate a configuration: {@code --check},
   * and the validation pass the gateway runs at start-up and before every reload. The filter made
   * then is discarded right after (its {@link #onClose} actions run) and never sees a request; its
   * {@link #service services} are validation views. False when the filter is created for the routes
   * that serve requests.
   *
   * <p>Use it to skip work that only a serving filter needs (warming a cache, starting a timer,
   * connecting a client); still check everything the configuration alone can get wrong, so that
   * {@code --check} reports it.
   */
  boolean validating();

  /**
   * The pool for blocking work (file I/O, blocking SDKs), shared by all plugins and bounded; see
   * {@link BlockingExecutor}. Never block an event loop: a filter runs on one.
   *
   * <p>While {@link #validating()}, the executor runs nothing: each task's future fails with an
   * {@link IllegalStateException}, because the filter is discarded before any request.
   */
  BlockingExecutor blocking();

  /**
   * The clock to read the time from: the system clock in UTC in the gateway, a clock the test
   * controls in a plugin's tests. Use it instead of {@link System#currentTimeMillis()} or
   * {@link java.time.Instant#now()} (e.g. {@code clock.millis()}, {@code clock.instant()}), so
   * that expiry, windows and timestamps can be tested without waiting.
   */
  Clock clock();
}
