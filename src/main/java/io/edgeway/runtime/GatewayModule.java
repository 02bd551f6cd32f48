package io.edgeway.runtime;

import io.edgeway.admin.AdminServer;
import io.edgeway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A process-wide part of the gateway that lives beside the routes: a shared store (Redis for rate
 * limits), a key source (JWT providers), the response cache, the event publisher. Modules are
 * internal (not part of the plugin SPI), discovered with {@link java.util.ServiceLoader} from
 * {@code META-INF/services/io.edgeway.runtime.GatewayModule}, and started in discovery order
 * before routes are compiled, so the services they register are there when filters are created.
 */
public interface GatewayModule {

  /** What a module may use and extend while starting. */
  interface Context {
    Vertx vertx();

    /** The validated configuration (the module reads its own top-level section). */
    GatewayConfig config();

    /** Register services for filter factories ({@code FilterContext.service}). */
    GatewayServices services();

    /** Observe every completed exchange (events, metrics). */
    GatewayRuntime runtime();

    /** Add admin endpoints; null when the admin API is disabled. */
    AdminServer admin();
  }

  /** A short name for logs, e.g. {@code "events"}. */
  String name();

  /**
   * Starts the module. Never block the calling thread: return a future. A failed future stops the
   * gateway's start-up with the failure's message.
   */
  Future<Void> start(Context context);

  /** Stops the module at shutdown, after the listeners stopped (flush, close clients). */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
