package io.edgeway.runtime;

import io.edgeway.admin.AdminServer;
import io.edgeway.config.AccessLogConfig;
import io.edgeway.config.ConfigException;
import io.edgeway.config.GatewayConfig;
import io.edgeway.config.LoadedConfig;
import io.edgeway.demo.DemoUpstream;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.server.GatewayVerticle;
import io.edgeway.server.ServerSettings;
import io.vertx.core.Future;
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
  private final AtomicReference<AccessLogFile> accessLogFile;

  private Gateway(Vertx vertx, GatewayRuntime runtime, ServerSettings settings, List<GatewayVerticle> verticles,
      List<String> deployments, AdminServer admin, DemoUpstream demo, int adminPort, List<GatewayModule> modules,
      AtomicReference<AccessLogFile> accessLogFile) {
    this.modules = List.copyOf(modules);
    this.accessLogFile = accessLogFile;
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
    try {
      // Before any module starts: a config that fails here never opens a connection or a file.
      new ConfigValidator(registry, modules).validateRoutes(vertx, loaded);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    GatewayConfig config = loaded.config();
    ServerSettings settings = ServerSettings.from(config.server());
    GatewayServices services = new GatewayServices();
    services.register(StateEvents.class, new LoggingStateEvents());
    // The runtime starts with an empty table; the compiled snapshot is swapped in before listening.
    GatewayRuntime runtime = new GatewayRuntime(RouteSnapshot.empty(source));
    AtomicReference<AccessLogFile> accessLogFile = new AtomicReference<>();
    AdminServer admin = config.admin().enabled() ? new AdminServer(vertx, runtime) : null;
    ModuleContext context = new ModuleContext(vertx, config, services, runtime, admin);
    List<GatewayModule> started = new ArrayList<>();
    DemoUpstream demo = config.demoUpstream().enabled() ? new DemoUpstream(vertx) : null;
    AtomicInteger connections = new AtomicInteger();
    List<GatewayVerticle> verticles = new ArrayList<>();
    List<String> deployments = new ArrayList<>();
    return startAccessLog(vertx, config.accessLog(), runtime, accessLogFile)
        .compose(v -> startModules(modules, context, started))
        .compose(v -> {
          try {
            runtime.swap(new RouteCompiler(vertx, registry, services, settings.instances()).compile(loaded, source));
            return Future.<Void>succeededFuture();
          } catch (ConfigException e) {
            return Future.failedFuture(e);
          }
        })
        .compose(v -> demo == null ? Future.succeededFuture(0)
            : demo.start(config.demoUpstream().host(), config.demoUpstream().port()))
        .compose(v -> admin == null ? Future.succeededFuture(0) : admin.start(config.admin().host(), config.admin().port()))
        .compose(adminPort -> deployListeners(vertx, runtime, settings, connections, verticles, deployments)
            .map(v -> {
              runtime.setReady(true);
              RouteSnapshot snapshot = runtime.snapshot();
              services.find(StateEvents.class).ifPresent(events -> events.publish("config.loaded", source,
                  java.util.Map.of("routes", snapshot.routes().size(), "source", source)));
              Gateway gateway = new Gateway(vertx, runtime, settings, verticles, deployments, admin, demo, adminPort,
                  started, accessLogFile);
              log.info("edgeway listening on {}:{} ({} event loops, {} routes){}", settings.host(), gateway.port(),
                  settings.instances(), snapshot.routes().size(),
                  admin == null ? "" : ", admin on " + config.admin().host() + ":" + adminPort);
              return gateway;
            }))
        .recover(failure -> {
          runtime.snapshot().close();
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
              .transform(x -> closeAccessLog(vertx, accessLogFile))
              .transform(x -> Future.failedFuture(failure));
        });
  }

  /**
   * The access log first, so every request is logged from the first one: stdout through
   * logback.xml's asynchronous appender, or a file opened here off the event loop.
   */
  private static Future<Void> startAccessLog(
      Vertx vertx, AccessLogConfig config, GatewayRuntime runtime, AtomicReference<AccessLogFile> opened) {
    if (!config.enabled()) {
      return Future.succeededFuture();
    }
    if (config.output() == AccessLogConfig.Output.STDOUT) {
      runtime.addObserver(AccessLog.toStdout(config));
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> AccessLogFile.open(config.file()), false).map(file -> {
      opened.set(file);
      runtime.addObserver(file.accessLog(config));
      log.info("access log: {} (rolled at {}{}, {} kept)", config.file().path(), config.file().maxSize(),
          config.file().daily() ? " and daily" : "", config.file().maxHistory());
      return null;
    });
  }

  /** Drains and closes the access-log file, if any (off the event loop: the drain waits). */
  private static Future<Void> closeAccessLog(Vertx vertx, AtomicReference<AccessLogFile> opened) {
    AccessLogFile file = opened.getAndSet(null);
    if (file == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      file.close();
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

  /** The public port actually bound. */
  public int port() {
    return verticles.get(0).actualPort();
  }

  /** The admin port actually bound (0 when the admin API is disabled). */
  public int adminPort() {
    return adminPort;
  }

  public GatewayRuntime runtime() {
    return runtime;
  }

  /**
   * Graceful stop: not ready, stop accepting, let in-flight requests finish up to {@code grace},
   * then close everything.
   */
  public Future<Void> stop(Duration grace) {
    runtime.setReady(false);
    List<Future<?>> shutdowns = new ArrayList<>();
    verticles.forEach(v -> shutdowns.add(v.shutdown(grace)));
    return Future.join(shutdowns)
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
          // Last: the requests that finished during the drain are logged.
          return closeAccessLog(vertx, accessLogFile);
        });
  }

  /** The grace period configured for shutdown. */
  public Duration shutdownGrace() {
    return Duration.ofMillis(settings.shutdownGraceMillis());
  }
}
