package io.edgeway.runtime;

import io.edgeway.admin.AdminServer;
import io.edgeway.config.ConfigDiff;
import io.edgeway.config.ConfigSection;
import io.edgeway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;

/**
 * A process-wide part of the gateway that lives beside the routes: a shared store (Redis for rate
 * limits), a key source (JWT providers), the response cache, the event publisher. Modules are
 * internal (not part of the plugin SPI), discovered with {@link java.util.ServiceLoader} from
 * {@code META-INF/services/io.edgeway.runtime.GatewayModule}, and started in discovery order
 * before routes are compiled, so the services they register are there when filters are created.
 *
 * <p>A module owns at most one top-level section ({@link #section()}), bound and validated by the
 * loader with the core sections. Validation ({@code --check}, and the same step at start-up)
 * never starts a module: filters are created against {@link #registerValidationViews validation
 * views} built from the bound sections alone, then discarded.
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

  /** The top-level section this module owns, if any (e.g. {@code jwt-providers}). */
  default Optional<ConfigSection<?>> section() {
    return Optional.empty();
  }

  /**
   * Registers, under the types filter factories look up, what those factories need while the
   * configuration is validated, built from the bound configuration alone: no I/O, no threads, no
   * connections, no timers. Filters created against these views are closed right after
   * validation and never serve a request. Runs before {@link #start}, also for {@code --check}.
   */
  default void registerValidationViews(GatewayConfig config, GatewayServices views) {}

  /**
   * Starts the module. Never block the calling thread: return a future. A failed future stops the
   * gateway's start-up with the failure's message.
   */
  Future<Void> start(Context context);

  /**
   * During a reload, after the new configuration validated and before anything is applied: the
   * keys of this module's section that changed and cannot be applied while running. A non-empty
   * answer refuses the whole reload, each key reported at its position as needing a restart. The
   * default refuses every changed key of {@link #section()}; a module that can apply some keys live
   * leaves them out here and applies them in {@link #reload}. No side effects, no blocking.
   */
  default List<ConfigDiff.Change> restartRequired(GatewayConfig running, GatewayConfig next) {
    return section().map(section -> changes(section, running, next)).orElse(List.of());
  }

  /**
   * Applies this module's section of a reloaded configuration, once every module and the routes
   * accepted it and {@link #restartRequired} named nothing; called only when the section changed,
   * before the new routes start serving. Runs on the reload thread: never blocks for long, never
   * fails (everything was validated).
   */
  default void reload(GatewayConfig next) {}

  /**
   * What a module built for a reloaded section before the swap, and how it hands over. Every step
   * runs on the reload thread and must not block for long.
   */
  interface PreparedReload {
    /** Nothing to hand over. */
    PreparedReload NOTHING = new PreparedReload() {};

    /** After the new snapshot was swapped in: what was prepared is now the running state. */
    default void commit() {}

    /**
     * Once the snapshot serving before the swap drained (its last request that may use the old
     * parts ended): release what the new configuration no longer uses.
     */
    default void releaseOld() {}

    /** The reload was refused after this was prepared: release what was built for it. */
    default void abandon() {}
  }

  /**
   * During a reload, when this module's section changed and {@link #restartRequired} named
   * nothing: builds what the new section needs (key sets fetched, store connections opened) and
   * registers it in {@code staged}, the services the new routes' filters are created against.
   * Nothing running may change here. A failed future refuses the reload with its message (which
   * names the key, {@code name: value (expected: ...)}); the running configuration keeps serving.
   * Runs on the reload thread, which waits for the future.
   */
  default Future<PreparedReload> prepareReload(GatewayConfig running, GatewayConfig next, GatewayServices staged) {
    return Future.succeededFuture(PreparedReload.NOTHING);
  }

  /** The changed keys of {@code section} between two configurations (absent sections as their absent value). */
  static <C> List<ConfigDiff.Change> changes(ConfigSection<C> section, GatewayConfig running, GatewayConfig next) {
    return ConfigDiff.between(section.key(), running.section(section), next.section(section));
  }

  /** Stops the module at shutdown, after the listeners stopped (flush, close clients). */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
