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
   * A process-wide service the gateway offers to filters, such as a shared store or the event
   * publisher. Services are looked up by type at load time; keep the reference.
   *
   * @param type the service type
   * @return the service, or empty when this gateway does not offer it
   */
  <T> Optional<T> service(Class<T> type);

  /**
   * Registers a callback run when the route's filters are discarded (shutdown or a reload that
   * replaced the route), to cancel timers and close clients.
   */
  void onClose(Runnable action);
}
