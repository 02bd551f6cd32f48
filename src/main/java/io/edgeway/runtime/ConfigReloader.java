package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.ConfigDiff;
import io.edgeway.config.ConfigError;
import io.edgeway.config.ConfigErrors;
import io.edgeway.config.ConfigException;
import io.edgeway.config.ConfigLoader;
import io.edgeway.config.GatewayConfig;
import io.edgeway.config.LoadedConfig;
import io.edgeway.config.RouteConfig;
import io.edgeway.config.ServerConfig;
import io.edgeway.plugin.PluginException;
import io.edgeway.plugin.PluginSet;
import io.edgeway.proxy.UpstreamResources;
import io.edgeway.runtime.ConfigReloadStats.Attempt;
import io.edgeway.runtime.ConfigReloadStats.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration file of a running gateway, one reload at a time, on its own thread
 * (reading the file, validating and compiling are blocking work and never run on an event loop).
 *
 * <p>A reload rescans the plugins directory ({@link PluginSet#rescan()}: a replaced jar gets a new
 * class loader, unchanged jars keep theirs), reads the file, validates it whole exactly as start-up does ({@link
 * ConfigValidator}), refuses keys that cannot change while running (the listener, the admin API,
 * the demo upstream, and whatever a module's {@link GatewayModule#restartRequired} names), compiles
 * the new routes against the running services, handing unchanged upstreams over ({@link
 * RouteCompiler#compile(LoadedConfig, String, RouteSnapshot, UpstreamResources)}), applies the
 * modules' changed sections, swaps the {@link RouteSnapshot}, and retires the old one. Until the
 * swap nothing running was touched: any error leaves the running configuration as it was, and is
 * logged, counted ({@link ConfigReloadStats}), published as a {@code config.reload-failed} state
 * event and shown by {@code GET /config}.
 */
public final class ConfigReloader {
  private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);
  private static final Set<String> LIVE_SERVER_KEYS = Set.of("server.shutdown-grace", "server.drain-delay");
  private static final String RESTART = "changing it needs a restart";
  /** Bounds a module's preparation (each one bounds its own I/O: a JWKS fetch, a Redis connect). */
  private static final long PREPARE_TIMEOUT_SECONDS = 60;

  /** Route ids by what a reload did to them. */
  public record RouteChanges(List<String> added, List<String> removed, List<String> changed, List<String> kept) {
    public RouteChanges {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
      changed = List.copyOf(changed);
      kept = List.copyOf(kept);
    }

    static final RouteChanges NONE = new RouteChanges(List.of(), List.of(), List.of(), List.of());
  }

  /**
   * What one reload did.
   *
   * @param attempt the attempt as {@link ConfigReloadStats} recorded it
   * @param running the version serving after it
   * @param routes the route changes an applied reload made (none otherwise)
   */
  public record Result(Attempt attempt, ConfigVersion running, RouteChanges routes) {}

  private final Vertx vertx;
  private final List<GatewayModule> modules;
  private final GatewayServices services;
  private final GatewayRuntime runtime;
  private final ConfigOrigin origin;
  private final int eventLoops;
  private final ExecutorService thread;
  private final List<Consumer<Result>> listeners = new CopyOnWriteArrayList<>();
  // The bound records alone: the YAML and positions of a loaded configuration are let go once it runs.
  private volatile GatewayConfig running;
  private volatile PluginSet plugins;
  private volatile boolean closed;
  private String lastFailedHash; // reload thread only

  ConfigReloader(Vertx vertx, PluginSet plugins, List<GatewayModule> modules, GatewayServices services,
      GatewayRuntime runtime, ConfigOrigin origin, GatewayConfig initial, int eventLoops) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.plugins = requireNonNull(plugins, "plugins");
    this.modules = List.copyOf(modules);
    this.services = requireNonNull(services, "services");
    this.runtime = requireNonNull(runtime, "runtime");
    this.origin = requireNonNull(origin, "origin");
    this.running = requireNonNull(initial, "initial");
    this.eventLoops = eventLoops;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "edgeway-config-reload");
      t.setDaemon(true);
      return t;
    });
  }

  /** The configuration serving now. */
  public GatewayConfig running() {
    return running;
  }

  /** The filters (built-ins and plugin jars) the running snapshot was compiled with. */
  public PluginSet plugins() {
    return plugins;
  }

  /** The file reloads read, if the configuration came from one. */
  public Optional<Path> file() {
    return origin.reloadableFile();
  }

  /** Called with every result (on the reload thread), e.g. to wait for a watcher-triggered reload. */
  public void addListener(Consumer<Result> listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  /**
   * Reloads the file now (SIGHUP, {@code POST /config/reload}); the future completes on the reload
   * thread with the outcome, also when it failed (a failed future only when the gateway is stopping).
   */
  public Future<Result> reload(String trigger) {
    return submit(trigger, false);
  }

  /**
   * Reloads the file if its text differs from the running one and from the last one that failed
   * (the watcher: an editor touching the file, or a second event for one change, is no reload).
   * Completes with null when it skipped.
   */
  Future<Result> reloadIfChanged(String trigger) {
    return submit(trigger, true);
  }

  /** No more reloads; completes once a reload in progress ended (so a stop never races a swap). */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    try {
      thread.execute(() -> {
        closed = true;
        done.complete();
      });
      thread.shutdown();
    } catch (RejectedExecutionException e) {
      done.tryComplete();
    }
    return done.future();
  }

  private Future<Result> submit(String trigger, boolean onlyIfChanged) {
    requireNonNull(trigger, "trigger");
    Promise<Result> promise = Promise.promise();
    try {
      thread.execute(() -> {
        if (closed) {
          promise.fail(new IllegalStateException("the gateway is stopping: no more reloads"));
          return;
        }
        try {
          Result result = reloadNow(trigger, onlyIfChanged);
          if (result != null) {
            listeners.forEach(l -> l.accept(result));
          }
          promise.complete(result);
        } catch (RuntimeException | LinkageError e) {
          // A bug, not a bad file: the running configuration is untouched all the same.
          log.error("configuration reload ({}) failed unexpectedly", trigger, e);
          promise.complete(failed(trigger, null, List.of(origin.source() + ": reload failed: " + e
              + " (expected: a reload to succeed or report configuration errors; the log has the stack trace)")));
        }
      });
    } catch (RejectedExecutionException e) {
      promise.fail(new IllegalStateException("the gateway is stopping: no more reloads"));
    }
    return promise.future();
  }

  private Result reloadNow(String trigger, boolean onlyIfChanged) {
    Path file = origin.file();
    if (file == null) {
      return failed(trigger, null, List.of(origin.source() + ": not a configuration file, nothing to reload "
          + "(expected: a gateway started with --config FILE)"));
    }
    String text;
    try {
      text = ConfigLoader.readText(file);
    } catch (ConfigException e) {
      return failed(trigger, null, lines(e));
    }
    PluginSet current = plugins;
    PluginSet next;
    try {
      next = current.rescan();
    } catch (PluginException e) {
      return failed(trigger, null, List.of(e.getMessage()));
    }
    boolean adopted = false;
    try {
      Result result = reloadNow(trigger, onlyIfChanged, text, current, next);
      adopted = next == plugins;
      return result;
    } finally {
      if (!adopted && next != current) {
        next.closeUnused(); // the jars this refused reload opened; the running ones are held by the snapshot
      }
    }
  }

  private Result reloadNow(String trigger, boolean onlyIfChanged, String text, PluginSet current, PluginSet nextPlugins) {
    boolean pluginsChanged = nextPlugins != current;
    String hash = ConfigVersion.hashOf(text);
    ConfigVersion runningVersion = runtime.reloadStats().running();
    if (hash.equals(runningVersion.hash()) && !pluginsChanged) {
      if (onlyIfChanged) {
        return null;
      }
      Attempt attempt = new Attempt(Instant.now(), trigger, Outcome.UNCHANGED, hash, List.of());
      runtime.reloadStats().record(attempt, null);
      log.info("configuration reload ({}): {} is unchanged (version {})", trigger, origin.source(), hash);
      return new Result(attempt, runningVersion, RouteChanges.NONE);
    }
    if (onlyIfChanged && hash.equals(lastFailedHash) && !pluginsChanged) {
      return null;
    }
    LoadedConfig next;
    RouteSnapshot compiled;
    GatewayConfig before = running;
    GatewayServices staged = services.staged();
    List<GatewayModule.PreparedReload> prepared = new ArrayList<>();
    try {
      ConfigValidator validator = new ConfigValidator(nextPlugins.registry(), modules);
      next = validator.load(origin.source(), text, System::getenv);
      validator.validateRoutes(vertx, next);
      refuseRestartOnlyChanges(before, next);
      prepareModules(before, next, staged, prepared);
      compiled = new RouteCompiler(vertx, nextPlugins.registry(), staged, eventLoops)
          .compile(next, origin.source(), runtime.snapshot(), runtime.upstreamResources())
          .withPlugins(nextPlugins);
    } catch (ConfigException e) {
      abandon(prepared);
      lastFailedHash = hash;
      return failed(trigger, hash, lines(e));
    } catch (RuntimeException e) {
      abandon(prepared);
      throw e;
    }
    lastFailedHash = null;
    try {
      for (GatewayModule module : modules) {
        if (sectionChanged(module, before, next)) {
          module.reload(next.config());
        }
      }
    } catch (RuntimeException e) {
      // A module broke its contract (reload never fails). Release what this reload built, but not
      // the upstreams it took over from the running routes.
      compiled.retire(runtime.snapshot());
      abandon(prepared);
      throw e;
    }
    RouteChanges changes = changes(runtime.snapshot(), compiled);
    RouteSnapshot previous = runtime.swap(compiled);
    running = next.config();
    plugins = nextPlugins;
    services.adopt(staged);
    for (GatewayModule.PreparedReload step : prepared) {
      step.commit();
      // The old parts (a replaced store connection, removed key providers) stay open until no
      // request of the old snapshot can use them any more.
      previous.references().whenDrained(step::releaseOld);
    }
    awaitHandOver(previous.retire(compiled));
    ConfigVersion version = new ConfigVersion(hash, origin.source(), compiled.loadedAt());
    Attempt attempt = new Attempt(Instant.now(), trigger, Outcome.APPLIED, hash, List.of());
    runtime.reloadStats().record(attempt, version);
    log.info("configuration reloaded ({}) from {}: version {}, {} routes (added {}, removed {}, changed {}){}", trigger,
        origin.source(), hash, compiled.routes().size(), changes.added(), changes.removed(), changes.changed(),
        pluginsChanged ? ", plugin jars " + nextPlugins.jars() : "");
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("routes", compiled.routes().size());
    data.put("source", origin.source());
    data.put("version", hash);
    data.put("trigger", trigger);
    publish("config.loaded", data);
    return new Result(attempt, version, changes);
  }

  // The reload thread waits (it is no event loop) so a reload's result means its pools moved: a
  // request sent after it finds them. A loop that does not answer in time only delays that.
  private static void awaitHandOver(Future<Void> handOver) {
    try {
      handOver.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("handing upstream pools over to the reloaded routes did not complete: {}", e.toString());
    }
  }

  private static boolean sectionChanged(GatewayModule module, GatewayConfig before, LoadedConfig next) {
    return module.section()
        .map(section -> !Objects.equals(before.section(section), next.config().section(section)))
        .orElse(false);
  }

  /**
   * Lets every module whose section changed build its new parts into {@code staged}, waiting here
   * (the reload thread, never an event loop) for each; a failure refuses the reload at the module's
   * section with the module's message.
   */
  private void prepareModules(GatewayConfig before, LoadedConfig next, GatewayServices staged,
      List<GatewayModule.PreparedReload> prepared) throws ConfigException {
    ConfigErrors errors = next.newErrors();
    for (GatewayModule module : modules) {
      if (!sectionChanged(module, before, next)) {
        continue;
      }
      String key = module.section().orElseThrow().key();
      try {
        prepared.add(module.prepareReload(before, next.config(), staged)
            .toCompletionStage().toCompletableFuture().get(PREPARE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof ReloadRefusedException refused) {
          errors.addAt(refused.path(), refused.detail());
        } else {
          errors.addAt(key, String.valueOf(cause.getMessage()));
        }
      } catch (TimeoutException e) {
        errors.addAt(key, "not ready after " + PREPARE_TIMEOUT_SECONDS + " s (expected: the " + module.name()
            + " module to load its new settings in time)");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        errors.addAt(key, "reload interrupted (expected: the gateway to keep running)");
      }
      if (!errors.isEmpty()) {
        break; // a later module need not connect anything for a reload already refused
      }
    }
    errors.throwIfAny();
  }

  private static void abandon(List<GatewayModule.PreparedReload> prepared) {
    for (GatewayModule.PreparedReload step : prepared) {
      try {
        step.abandon();
      } catch (RuntimeException e) {
        log.warn("releasing what a refused reload prepared failed", e);
      }
    }
    prepared.clear();
  }

  /** Keys whose change would need a restart: positioned errors, so the reload is refused naming them. */
  private void refuseRestartOnlyChanges(GatewayConfig was, LoadedConfig next) throws ConfigException {
    GatewayConfig now = next.config();
    List<ConfigDiff.Change> refused = new ArrayList<>();
    for (ConfigDiff.Change change : ConfigDiff.between("server", was.server(), now.server())) {
      if (!LIVE_SERVER_KEYS.contains(change.path())) {
        refused.add(change);
      }
    }
    refused.addAll(ConfigDiff.between("admin", was.admin(), now.admin()));
    refused.addAll(ConfigDiff.between("demo-upstream", was.demoUpstream(), now.demoUpstream()));
    // The running filters hold the one pool, and its queue bound is fixed when it is made.
    refused.addAll(ConfigDiff.between("plugins", was.plugins(), now.plugins()));
    for (GatewayModule module : modules) {
      refused.addAll(module.restartRequired(was, now));
    }
    if (refused.isEmpty()) {
      return;
    }
    ConfigErrors errors = next.newErrors();
    refused.forEach(change -> errors.addAt(change.path(), change.describe(RESTART)));
    errors.throwIfAny();
  }

  private Result failed(String trigger, String hash, List<String> errors) {
    Attempt attempt = new Attempt(Instant.now(), trigger, Outcome.FAILED, hash, errors);
    runtime.reloadStats().record(attempt, null);
    ConfigVersion current = runtime.reloadStats().running();
    for (String error : errors) {
      log.error("configuration reload ({}) refused: {}", trigger, error);
    }
    log.warn("configuration reload ({}) refused with {} error{}; still serving version {} from {}", trigger,
        errors.size(), errors.size() == 1 ? "" : "s", current.hash(), current.source());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("source", origin.source());
    data.put("trigger", trigger);
    if (hash != null) {
      data.put("version", hash);
    }
    data.put("runningVersion", current.hash());
    data.put("errors", errors);
    publish("config.reload-failed", data);
    return new Result(attempt, current, RouteChanges.NONE);
  }

  private void publish(String type, Map<String, Object> data) {
    // Looked up each time: the events module replaces the logging sink when it starts.
    services.find(StateEvents.class).ifPresent(events -> {
      try {
        events.publish(type, origin.source(), data);
      } catch (RuntimeException e) {
        log.warn("state event {} could not be published: {}", type, e.toString());
      }
    });
  }

  private static List<String> lines(ConfigException e) {
    return e.errors().stream().map(ConfigError::toString).toList();
  }

  static RouteChanges changes(RouteSnapshot before, RouteSnapshot after) {
    Map<String, RouteConfig> old = new LinkedHashMap<>();
    before.routes().forEach(r -> old.put(r.id(), r.config()));
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (CompiledRoute route : after.routes()) {
      RouteConfig was = old.remove(route.id());
      if (was == null) {
        added.add(route.id());
      } else if (was.equals(route.config())) {
        kept.add(route.id());
      } else {
        changed.add(route.id());
      }
    }
    return new RouteChanges(added, new ArrayList<>(old.keySet()), changed, kept);
  }

  /** The server settings a reload may change while running (drain delay, shutdown grace). */
  ServerConfig server() {
    return running.server();
  }
}
