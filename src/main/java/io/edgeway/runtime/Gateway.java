package io.edgeway.runtime;

import io.edgeway.admin.AdminServer;
import io.edgeway.config.AccessLogConfig;
import io.edgeway.config.ConfigException;
import io.edgeway.config.GatewayConfig;
import io.edgeway.config.LoadedConfig;
import io.edgeway.demo.DemoUpstream;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.plugin.PluginSet;
import io.edgeway.config.ListenerConfig;
import io.edgeway.config.ServerConfig;
import io.edgeway.server.GatewayVerticle;
import io.edgeway.spi.BlockingExecutor;
import io.edgeway.server.ListenerSettings;
import io.edgeway.server.tls.CertificateReloader;
import io.edgeway.server.tls.ListenerTls;
import io.edgeway.tls.TlsEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.IntSupplier;
import io.edgeway.server.ServerSettings;
import io.edgeway.spi.StateEventPublisher;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: the public listener (one verticle per event loop), the admin API and, when
 * configured, the demo upstream. Built from a configuration that was validated whole first.
 */
public final class Gateway {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final GatewayRuntime runtime;
  private final ServerSettings settings;
  private final List<GatewayVerticle> verticles;
  private final List<String> deployments;
  private final AdminServer admin;
  private final DemoUpstream demo;
  private final int adminPort;
  private final List<GatewayModule> modules;
  private final List<CertificateReloader> reloaders;
  private final ConfigReloader reloader;
  private final ConfigWatcher watcher;
  private final AtomicReference<AccessLogWriter> accessLogWriter;
  private final BlockingPool blockingPool;

  private Gateway(Vertx vertx, GatewayRuntime runtime, ServerSettings settings, List<GatewayVerticle> verticles,
      List<String> deployments, AdminServer admin, DemoUpstream demo, int adminPort, List<GatewayModule> modules,
      List<CertificateReloader> reloaders, ConfigReloader reloader, ConfigWatcher watcher,
      AtomicReference<AccessLogWriter> accessLogWriter, BlockingPool blockingPool) {
    this.blockingPool = blockingPool;
    this.modules = List.copyOf(modules);
    this.reloaders = List.copyOf(reloaders);
    this.reloader = reloader;
    this.watcher = watcher;
    this.accessLogWriter = accessLogWriter;
    this.vertx = vertx;
    this.runtime = runtime;
    this.settings = settings;
    this.verticles = verticles;
    this.deployments = deployments;
    this.admin = admin;
    this.demo = demo;
    this.adminPort = adminPort;
  }

  /** Starts a gateway with the built-in and plugin filters and modules found on the class path. */
  public static Future<Gateway> start(Vertx vertx, LoadedConfig loaded, String source) {
    ClassLoader loader = Gateway.class.getClassLoader();
    return start(vertx, loaded, source, FilterRegistry.discover(List.of(loader)), discoverModules(loader));
  }

  /** The gateway modules registered in {@code META-INF/services/io.edgeway.runtime.GatewayModule}. */
  public static List<GatewayModule> discoverModules(ClassLoader loader) {
    List<GatewayModule> modules = new ArrayList<>();
    ServiceLoader.load(GatewayModule.class, loader).forEach(modules::add);
    return modules;
  }

  /**
   * Validates the routes exactly as {@code --check} does ({@link ConfigValidator#validateRoutes}),
   * starts the modules (which register the services filters need), compiles the configuration
   * (failing with a {@link ConfigException} before anything listens), then starts the demo
   * upstream, the admin API and the public listener, and marks itself ready.
   */
  public static Future<Gateway> start(
      Vertx vertx, LoadedConfig loaded, String source, FilterRegistry registry, List<GatewayModule> modules) {
    return start(vertx, loaded, new ConfigOrigin(source, null, "unknown"), registry, modules);
  }

  /**
   * Starts a gateway as {@link #start(Vertx, LoadedConfig, String, FilterRegistry, List)} does, from a
   * configuration whose origin says what a reload reads again: with a file, SIGHUP, {@code POST
   * /config/reload} and (when {@code server.reload.watch}) a change of the file reload it.
   */
  public static Future<Gateway> start(
      Vertx vertx, LoadedConfig loaded, ConfigOrigin origin, FilterRegistry registry, List<GatewayModule> modules) {
    return start(vertx, loaded, origin, PluginSet.fixed(registry), modules);
  }

  /**
   * Starts a gateway as {@link #start(Vertx, LoadedConfig, ConfigOrigin, FilterRegistry, List)} does,
   * with the built-in filters and the plugin jars of {@code plugins}; a reload rescans its directory.
   * The first snapshot holds the plugin jars; a failed start closes them.
   */
  public static Future<Gateway> start(
      Vertx vertx, LoadedConfig loaded, ConfigOrigin origin, PluginSet plugins, List<GatewayModule> modules) {
    // The TLS provider is a native library that takes a few hundred milliseconds to load. A TLS
    // listener needs it on its event loop, so it loads here on a worker, beside the validation;
    // https upstreams load it on the worker that compiles the routes, and /tls on a worker too. A
    // gateway without TLS never loads it (a quarter of a second less to the first response).
    Future<String> tlsProvider = usesTlsListener(loaded.config().server())
        ? vertx.executeBlocking(TlsEngine::name, false) : Future.succeededFuture();
    // Filter factories are plugin code: they are created (validation, then compilation) on a worker,
    // never on an event loop, whichever thread called this.
    return vertx.executeBlocking(() -> {
      // Before any module starts: a config that fails here never opens a connection or a file.
      new ConfigValidator(plugins.registry(), modules).validateRoutes(vertx, loaded);
      return null;
    }, false)
        .compose(v -> tlsProvider)
        .compose(v -> startValidated(vertx, loaded, origin, plugins, modules))
        .onFailure(failure -> plugins.closeUnused());
  }

  private static Future<Gateway> startValidated(
      Vertx vertx, LoadedConfig loaded, ConfigOrigin origin, PluginSet plugins, List<GatewayModule> modules) {
    String source = origin.source();
    FilterRegistry registry = plugins.registry();
    GatewayConfig config = loaded.config();
    AtomicInteger httpsPort = new AtomicInteger();
    List<ListenerSettings> listeners;
    try {
      // Start-up reads the certificate files again (blocking is fine here): the files that
      // passed validation a moment ago may have changed since.
      listeners = listenerSettings(config.server(), httpsPort::get);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalStateException("TLS: " + e.getMessage(), e));
    }
    ServerSettings settings = ServerSettings.from(config.server(), listeners);
    GatewayServices services = new GatewayServices();
    services.register(StateEvents.class, new LoggingStateEvents());
    // Threads start on demand: a gateway whose plugins never block holds none.
    BlockingPool blockingPool = new BlockingPool(config.plugins().blockingPool());
    services.register(BlockingExecutor.class, blockingPool);
    services.registerPerFilter(StateEventPublisher.class, PluginStateEvents.running(services));
    // The runtime starts with an empty table; the compiled snapshot is swapped in before listening.
    GatewayRuntime runtime = new GatewayRuntime(RouteSnapshot.empty(source));
    AtomicReference<AccessLogWriter> accessLogWriter = new AtomicReference<>();
    AdminServer admin = config.admin().enabled() ? new AdminServer(vertx, runtime, config.admin().token()) : null;
    ConfigReloader reloader = new ConfigReloader(vertx, plugins, modules, services, runtime, origin, config,
        settings.instances());
    boolean watching = origin.file() != null && config.server().reload().watch();
    if (admin != null) {
      admin.register("/tls", req -> vertx.executeBlocking(() -> tlsStatus(listeners), false));
      ConfigEndpoints.register(admin, vertx, runtime, reloader, watching);
      admin.register("/plugins", req -> Future.succeededFuture(PluginEndpoint.describe(runtime.snapshot())));
    }
    List<CertificateReloader> reloaders = new ArrayList<>();
    ModuleContext context = new ModuleContext(vertx, config, services, runtime, admin);
    List<GatewayModule> started = new ArrayList<>();
    DemoUpstream demo = config.demoUpstream().enabled() ? new DemoUpstream(vertx) : null;
    AtomicInteger connections = new AtomicInteger();
    List<GatewayVerticle> verticles = new ArrayList<>();
    List<String> deployments = new ArrayList<>();
    return startAccessLog(vertx, config.accessLog(), runtime, accessLogWriter)
        .compose(v -> startModules(modules, context, started))
        .compose(v -> vertx.executeBlocking(() -> {
          // On a worker: creating filters runs plugin code, which must never run on an event loop.
          RouteSnapshot compiled = new RouteCompiler(vertx, registry, services, settings.instances())
              .compile(loaded, source, RouteSnapshot.empty(source), runtime.upstreamResources())
              .withPlugins(plugins);
          runtime.swap(compiled);
          runtime.reloadStats().started(new ConfigVersion(origin.hash(), source, compiled.loadedAt()));
          return (Void) null;
        }, false))
        .compose(v -> demo == null ? Future.succeededFuture(0)
            : demo.start(config.demoUpstream().host(), config.demoUpstream().port()))
        .compose(v -> admin == null ? Future.succeededFuture(0) : admin.start(config.admin().host(), config.admin().port()))
        .compose(adminPort -> deployListeners(vertx, runtime, settings, connections, verticles, deployments)
            .map(v -> {
              listeners.stream().filter(l -> l.tls() != null).findFirst()
                  .ifPresent(l -> httpsPort.set(verticles.get(0).actualPort(l.index())));
              for (ListenerSettings listener : listeners) {
                if (listener.tls() != null) {
                  CertificateReloader certificates = new CertificateReloader(vertx, listener.tls(),
                      options -> Future.all(verticles.stream().map(vt -> vt.updateSsl(listener.index(), options))
                          .toList()),
                      (type, subject, data) -> services.find(StateEvents.class)
                          .ifPresent(events -> events.publish(type, subject, data)));
                  certificates.start();
                  reloaders.add(certificates);
                }
              }
              runtime.setReady(true);
              RouteSnapshot snapshot = runtime.snapshot();
              services.find(StateEvents.class).ifPresent(events -> events.publish("config.loaded", source,
                  java.util.Map.of("routes", snapshot.routes().size(), "source", source, "version", origin.hash(),
                      "trigger", "start")));
              ConfigWatcher watcher = watching ? watch(origin, config, reloader) : null;
              Gateway gateway = new Gateway(vertx, runtime, settings, verticles, deployments, admin, demo, adminPort,
                  started, reloaders, reloader, watcher, accessLogWriter, blockingPool);
              log.info("edgeway listening on {} ({} event loops, {} routes){}", describe(listeners, gateway),
                  settings.instances(), snapshot.routes().size(),
                  admin == null ? "" : ", admin on " + config.admin().host() + ":" + adminPort);
              return gateway;
            }))
        .recover(failure -> {
          reloaders.forEach(CertificateReloader::stop);
          reloader.close();
          runtime.snapshot().close();
          blockingPool.close();
          List<Future<?>> stops = new ArrayList<>();
          started.forEach(m -> stops.add(m.stop()));
          deployments.forEach(id -> stops.add(vertx.undeploy(id)));
          if (admin != null) {
            stops.add(admin.stop());
          }
          if (demo != null) {
            stops.add(demo.stop());
          }
          return Future.join(stops)
              .transform(x -> closeAccessLog(vertx, accessLogWriter))
              .transform(x -> Future.failedFuture(failure));
        });
  }

  private static ConfigWatcher watch(ConfigOrigin origin, GatewayConfig config, ConfigReloader reloader) {
    try {
      return ConfigWatcher.start(origin.file(), config.server().reload().debounce(),
          () -> reloader.reloadIfChanged("file-change"));
    } catch (java.io.IOException | RuntimeException e) {
      // Not fatal: SIGHUP and POST /config/reload still reload.
      log.warn("cannot watch {} for changes ({}); reload with SIGHUP or POST /config/reload", origin.file(),
          e.toString());
      return null;
    }
  }

  /**
   * The access log first, so every request is logged from the first one: its writer thread, to
   * stdout or to a file opened here off the event loop.
   */
  private static Future<Void> startAccessLog(
      Vertx vertx, AccessLogConfig config, GatewayRuntime runtime, AtomicReference<AccessLogWriter> started) {
    if (!config.enabled()) {
      return Future.succeededFuture();
    }
    if (config.output() == AccessLogConfig.Output.STDOUT) {
      AccessLogWriter writer = attach(runtime, started, AccessLogOutput.stdout());
      runtime.addObserver(AccessLog.toStdout(config, writer));
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> AccessLogFile.open(config.file()), false).map(file -> {
      runtime.addObserver(AccessLog.toFile(config, attach(runtime, started, file)));
      log.info("access log: {} (rolled at {}{}, {} kept)", config.file().path(), config.file().maxSize(),
          config.file().daily() ? " and daily" : "", config.file().maxHistory());
      return null;
    });
  }

  /** Starts the writer thread of {@code output}, its metrics, and remembers it for the close. */
  private static AccessLogWriter attach(
      GatewayRuntime runtime, AtomicReference<AccessLogWriter> started, AccessLogOutput output) {
    AccessLogWriter writer = AccessLogWriter.start(output);
    started.set(writer);
    runtime.addMetricSource(writer::collect);
    return writer;
  }

  /** Writes the lines still queued and closes the access log's output (off the event loop: it waits). */
  private static Future<Void> closeAccessLog(Vertx vertx, AtomicReference<AccessLogWriter> started) {
    AccessLogWriter writer = started.getAndSet(null);
    if (writer == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      writer.close();
      return null;
    }, false);
  }

  private static Future<Void> startModules(
      List<GatewayModule> modules, GatewayModule.Context context, List<GatewayModule> started) {
    Future<Void> chain = Future.succeededFuture();
    for (GatewayModule module : modules) {
      chain = chain.compose(v -> module.start(context)
          .onSuccess(x -> started.add(module))
          .recover(e -> Future.failedFuture(new IllegalStateException(
              "module " + module.name() + " failed to start: " + e.getMessage(), e))));
    }
    return chain;
  }

  private record ModuleContext(
      Vertx vertx, GatewayConfig config, GatewayServices services, GatewayRuntime runtime, AdminServer admin)
      implements GatewayModule.Context {}

  private static Future<Void> deployListeners(Vertx vertx, GatewayRuntime runtime, ServerSettings settings,
      AtomicInteger connections, List<GatewayVerticle> verticles, List<String> deployments) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < settings.instances(); i++) {
      int index = i;
      chain = chain.compose(v -> {
        GatewayVerticle verticle = new GatewayVerticle(runtime, settings, index, connections);
        verticles.add(verticle);
        return vertx.deployVerticle(verticle).map(id -> {
          deployments.add(id);
          return null;
        });
      });
    }
    return chain;
  }

  /** The port the first listener actually bound. */
  public int port() {
    return port(0);
  }

  /** The port listener {@code index} ({@code server.listeners[index]}) actually bound. */
  public int port(int index) {
    return verticles.get(0).actualPort(index);
  }

  /** The certificate reloaders, one per TLS listener, in listener order. */
  public List<CertificateReloader> certificateReloaders() {
    return reloaders;
  }

  private static List<ListenerSettings> listenerSettings(ServerConfig server, IntSupplier httpsPort) {
    List<ListenerConfig> configs = server.listeners();
    boolean listOfListeners = configs.size() > 1 || server.tls() == null && configs.get(0).tls() != null;
    List<ListenerSettings> listeners = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      ListenerConfig c = configs.get(i);
      String keyPath = listOfListeners ? "server.listeners[" + i + "].tls" : "server.tls";
      ListenerTls tls = c.tls() == null ? null : ListenerTls.load(keyPath, c.tls());
      listeners.add(new ListenerSettings(i, c.host(), c.port(), tls, c.redirectToHttps(), c.proxyProtocol() != null,
          httpsPort));
    }
    return listeners;
  }

  private static boolean usesTlsListener(ServerConfig server) {
    return server.listeners().stream().anyMatch(listener -> listener.tls() != null);
  }

  /** On a worker: the first call may load the TLS provider. */
  private static JsonObject tlsStatus(List<ListenerSettings> listeners) {
    JsonArray array = new JsonArray();
    listeners.stream().filter(l -> l.tls() != null).forEach(l -> array.add(new JsonObject(l.tls().status())));
    return new JsonObject().put("provider", TlsEngine.name()).put("listeners", array);
  }

  private static String describe(List<ListenerSettings> listeners, Gateway gateway) {
    List<String> parts = new ArrayList<>();
    for (ListenerSettings l : listeners) {
      parts.add(l.host() + ":" + gateway.port(l.index()) + (l.tls() != null ? " (tls)" : "")
          + (l.redirectToHttps() ? " (redirect to https)" : "") + (l.proxyProtocol() ? " (proxy protocol)" : ""));
    }
    return String.join(", ", parts);
  }

  /** The admin port actually bound (0 when the admin API is disabled). */
  public int adminPort() {
    return adminPort;
  }

  public GatewayRuntime runtime() {
    return runtime;
  }

  /** The reloader of this gateway's configuration (SIGHUP, tests). */
  public ConfigReloader reloader() {
    return reloader;
  }

  /**
   * Graceful stop without a drain delay: not ready, stop accepting, let in-flight requests finish
   * up to {@code grace}, then close everything.
   */
  public Future<Void> stop(Duration grace) {
    return stop(Duration.ZERO, grace);
  }

  /**
   * Graceful stop: {@code /ready} answers 503 at once while the listener keeps accepting and serving
   * for {@code drainDelay} (load balancers take that long to stop sending), then it stops
   * accepting and in-flight requests finish within {@code grace}; then everything closes. No
   * reload runs from the moment this is called.
   */
  public Future<Void> stop(Duration drainDelay, Duration grace) {
    runtime.setReady(false);
    reloaders.forEach(CertificateReloader::stop);
    if (watcher != null) {
      watcher.close();
    }
    Promise<Void> drained = Promise.promise();
    long delay = drainDelay.toMillis();
    if (delay > 0) {
      log.info("not ready; still accepting connections for the drain delay ({} ms)", delay);
      vertx.setTimer(delay, id -> drained.complete());
    } else {
      drained.complete();
    }
    return Future.join(reloader.close(), drained.future())
        .transform(x -> {
          List<Future<?>> shutdowns = new ArrayList<>();
          verticles.forEach(v -> shutdowns.add(v.shutdown(grace)));
          return Future.join(shutdowns);
        })
        .transform(x -> {
          List<Future<?>> stops = new ArrayList<>();
          deployments.forEach(id -> stops.add(vertx.undeploy(id)));
          if (admin != null) {
            stops.add(admin.stop());
          }
          if (demo != null) {
            stops.add(demo.stop());
          }
          return Future.join(stops);
        })
        .transform(x -> {
          // Modules stop last, in reverse order, after no request can reach them any more.
          Future<Void> chain = Future.succeededFuture();
          for (int i = modules.size() - 1; i >= 0; i--) {
            GatewayModule module = modules.get(i);
            chain = chain.transform(y -> module.stop().recover(e -> {
              log.warn("module {} did not stop cleanly: {}", module.name(), e.toString());
              return Future.succeededFuture();
            }));
          }
          return chain;
        })
        .transform(x -> {
          runtime.snapshot().close();
          // After the filters' close actions, which may still hand work to the pool.
          blockingPool.close();
          // Last: the requests that finished during the drain are logged.
          return closeAccessLog(vertx, accessLogWriter);
        });
  }

  /** The grace period configured for shutdown (a reload may have changed it). */
  public Duration shutdownGrace() {
    return reloader.server().shutdownGrace();
  }

  /** How long the listener keeps accepting after SIGTERM while not ready (a reload may have changed it). */
  public Duration drainDelay() {
    return reloader.server().drainDelay();
  }
}
