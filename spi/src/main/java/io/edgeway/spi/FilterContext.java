package io.edgeway.spi;

import io.vertx.core.Vertx;
import java.util.Optional;

/** What a {@link GatewayFilterFactory} can use while creating a filter for a route. */
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
}
