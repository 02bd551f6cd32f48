package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.Binder;
import io.edgeway.config.ConfigNode;
import io.edgeway.config.ConfigErrors;
import io.edgeway.config.ConfigException;
import io.edgeway.config.FilterSpec;
import io.edgeway.config.LoadedConfig;
import io.edgeway.config.RouteConfig;
import io.edgeway.config.TargetConfig;
import io.edgeway.config.UpstreamConfig;
import io.edgeway.config.UpstreamProtocol;
import io.edgeway.filter.FilterChains;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.proxy.ConsistentHashBalancer;
import io.edgeway.proxy.LeastRequestsBalancer;
import io.edgeway.proxy.LoadBalancer;
import io.edgeway.proxy.RoundRobinBalancer;
import io.edgeway.proxy.TargetMonitor;
import io.edgeway.proxy.Upstream;
import io.edgeway.proxy.UpstreamTls;
import io.edgeway.config.UpstreamTlsConfig;
import io.edgeway.proxy.UpstreamCall;
import io.edgeway.proxy.UpstreamResources;
import io.edgeway.proxy.UpstreamTarget;
import io.edgeway.routing.RewriteRule;
import io.edgeway.routing.RouteProblem;
import io.edgeway.routing.RouteSpec;
import io.edgeway.routing.RouteTable;
import io.edgeway.routing.RouteTableException;
import io.edgeway.spi.BlockingExecutor;
import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles a validated configuration into a {@link RouteSnapshot}: binds each filter's
 * configuration to its factory's record, creates the filters, orders them by stage, links them to
 * the upstream call, and builds the route table. Every problem is collected with its position;
 * nothing is returned unless the whole configuration compiled.
 *
 * <p>{@link #validate} runs the same filter creation and route table checks without building
 * upstreams, against validation views instead of started services: that is the validation both
 * {@code --check} and start-up run.
 */
public final class RouteCompiler {
  private static final Logger log = LoggerFactory.getLogger(RouteCompiler.class);
  private static final Clock CLOCK = Clock.systemUTC();
  private static final BlockingExecutor NO_BLOCKING_WHILE_VALIDATING = refusing(
      "blocking(): no blocking work while validating (expected: start it only when FilterContext.validating() is false;"
      + " this filter is discarded before any request)");
  private static final BlockingExecutor NO_BLOCKING_POOL = refusing(
      "blocking(): this gateway offers no blocking pool (expected: a gateway started with Gateway.start)");
  private final Vertx vertx;
  private final FilterRegistry registry;
  private final GatewayServices services;
  private final int eventLoops;
  /** Routes whose filters looked up a service a reload may replace and close ({@link GatewayServices#holdWhileInUse}). */
  private final Set<String> holdingRoutes = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public RouteCompiler(Vertx vertx, FilterRegistry registry, GatewayServices services, int eventLoops) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.registry = requireNonNull(registry, "registry");
    this.services = requireNonNull(services, "services");
    this.eventLoops = eventLoops;
  }

  /**
   * Creates every route's filters and builds the route table, then closes the filters again:
   * nothing is kept, nothing connects. The services given to the constructor are the modules'
   * validation views.
   *
   * @throws ConfigException every problem, positioned
   */
  public void validate(LoadedConfig loaded) throws ConfigException {
    ConfigErrors errors = new ConfigErrors(loaded.locations());
    List<RouteConfig> routes = loaded.config().routes();
    List<Runnable> closeActions = new ArrayList<>();
    RouteTable.Builder<RouteConfig> table = RouteTable.builder();
    try {
      for (int i = 0; i < routes.size(); i++) {
        RouteConfig route = routes.get(i);
        if (createFilters(loaded, i, errors, closeActions, true) != null) {
          table.add(routeSpec(route, route));
        }
      }
      buildTable(table, routes, errors);
    } finally {
      closeActions.forEach(RouteCompiler::closeQuietly);
    }
    errors.throwIfAny();
  }

  public RouteSnapshot compile(LoadedConfig loaded, String source) throws ConfigException {
    return compile(loaded, source, RouteSnapshot.empty(source), new UpstreamResources());
  }

  /**
   * Compiles a configuration that replaces {@code previous}: a route whose id and whole
   * {@code upstream:} definition are unchanged takes over the previous route's {@link Upstream}
   * object, and with it the per-loop connection pools, the targets' ejection and health state, and
   * the monitor's counters and timers. Filters are created again; the state they keep by route and
   * definition (breakers, bucket stores, cache entries) lives in the modules' registries and is
   * found there. Nothing of {@code previous} is changed or closed here.
   *
   * @param resources where new upstreams count what they hold open
   */
  public RouteSnapshot compile(LoadedConfig loaded, String source, RouteSnapshot previous, UpstreamResources resources)
      throws ConfigException {
    requireNonNull(previous, "previous");
    requireNonNull(resources, "resources");
    Map<String, CompiledRoute> before = new java.util.HashMap<>();
    previous.routes().forEach(r -> before.put(r.id(), r));
    ConfigErrors errors = new ConfigErrors(loaded.locations());
    List<RouteConfig> routes = loaded.config().routes();
    long defaultMaxBody = loaded.config().server().limits().maxBodySize().bytes();
    List<CompiledRoute> compiled = new ArrayList<>(routes.size());
    List<Runnable> closeActions = new ArrayList<>();
    List<Upstream> created = new ArrayList<>();
    RouteTable.Builder<CompiledRoute> table = RouteTable.builder();
    for (int i = 0; i < routes.size(); i++) {
      RouteConfig route = routes.get(i);
      List<GatewayFilter> filters = createFilters(loaded, i, errors, closeActions, false);
      if (filters == null) {
        continue;
      }
      CompiledRoute earlier = before.get(route.id());
      boolean reuse = earlier != null && earlier.config().upstream().equals(route.upstream())
          && !earlier.upstream().isRetired();
      Upstream upstream;
      if (reuse) {
        upstream = earlier.upstream();
      } else {
        // A changed upstream block: targets whose own definition is unchanged stay the same
        // objects (their ejection and health flags with them) and, with unchanged pool settings,
        // keep their connection pools when the old upstream retires into this one.
        Upstream replaced = earlier == null || earlier.upstream().isRetired() ? null : earlier.upstream();
        upstream = upstream(route.id(), route.upstream(), resources,
            replaced == null ? List.of() : replaced.targets());
        if (replaced != null) {
          upstream.succeeds(replaced, samePoolSettings(earlier.config().upstream(), route.upstream()));
        }
        created.add(upstream);
      }
      UpstreamCall call = new UpstreamCall(vertx, upstream, Boolean.TRUE.equals(route.preserveHost()));
      long maxBody = route.maxBodySize() != null ? route.maxBodySize().bytes() : defaultMaxBody;
      boolean pluginCode = holdingRoutes.contains(route.id()) || route.filters().stream().anyMatch(
          f -> registry.entry(f.name()).map(e -> !e.origin().isBuiltIn()).orElse(false));
      CompiledRoute compiledRoute = new CompiledRoute(route.id(), FilterChains.link(filters, call), upstream, maxBody,
          route.upstream().timeouts().requestBody().toNanos(), Boolean.TRUE.equals(route.websocket()), route,
          pluginCode);
      compiled.add(compiledRoute);
      table.add(routeSpec(route, compiledRoute));
    }
    RouteTable<CompiledRoute> built = buildTable(table, routes, errors);
    if (!errors.isEmpty()) {
      // Only what this compilation built: upstreams taken over from the previous snapshot serve on.
      created.forEach(Upstream::close);
      closeActions.forEach(RouteCompiler::closeQuietly);
      errors.throwIfAny();
    }
    return new RouteSnapshot(built, compiled, Instant.now(), source, closeActions);
  }

  private static <T> RouteSpec<T> routeSpec(RouteConfig route, T value) {
    return new RouteSpec<>(route.id(), route.match().path(),
        route.match().methods() == null ? Set.of() : new LinkedHashSet<>(route.match().methods()),
        route.match().host(), route.match().headers() == null ? Map.of() : route.match().headers(),
        rewriteRule(route), value);
  }

  private static <T> RouteTable<T> buildTable(RouteTable.Builder<T> table, List<RouteConfig> routes, ConfigErrors errors) {
    try {
      return table.build();
    } catch (RouteTableException e) {
      for (RouteProblem p : e.problems()) {
        int index = indexOf(routes, p.routeId());
        errors.addAt("routes[" + index + "]." + p.field(), p.message());
      }
      return null;
    }
  }

  private static BlockingExecutor refusing(String why) {
    return new BlockingExecutor() {
      @Override
      public <T> Future<T> run(Callable<T> task) {
        requireNonNull(task, "task");
        return Future.failedFuture(new IllegalStateException(why));
      }
    };
  }

  private static void closeQuietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn("closing a filter created for validation failed: {}", e.toString());
    }
  }

  private static RewriteRule rewriteRule(RouteConfig route) {
    if (route.rewrite() != null) {
      return new RewriteRule.Template(route.rewrite());
    }
    if (route.stripPrefix() != null && route.stripPrefix() > 0) {
      return new RewriteRule.StripPrefix(route.stripPrefix());
    }
    return RewriteRule.KEEP;
  }

  private static int indexOf(List<RouteConfig> routes, String id) {
    for (int i = 0; i < routes.size(); i++) {
      if (routes.get(i).id().equals(id)) {
        return i;
      }
    }
    return 0;
  }

  // The filters of routes[index], their configurations bound from the loaded YAML.
  private List<GatewayFilter> createFilters(
      LoadedConfig loaded, int index, ConfigErrors errors, List<Runnable> closeActions, boolean validating) {
    record Staged(Stage stage, int order, GatewayFilter filter) {}
    List<Staged> staged = new ArrayList<>();
    boolean ok = true;
    RouteConfig route = loaded.config().routes().get(index);
    String at = "routes[" + index + "]";
    List<FilterSpec> specs = route.filters();
    for (int j = 0; j < specs.size(); j++) {
      FilterSpec spec = specs.get(j);
      Optional<GatewayFilterFactory<?>> factory = registry.find(spec.name());
      if (factory.isEmpty()) {
        // Normally caught while loading (FilterConfigCheck); kept for configurations loaded without it.
        errors.addAt(at + ".filters[" + j + "]", "unknown filter '" + spec.name() + "' (expected one of: "
            + String.join(", ", registry.names()) + ")");
        ok = false;
        continue;
      }
      GatewayFilter filter = create(factory.get(), spec.name(), loaded.filterConfig(index, j), route.id(), errors,
          closeActions, validating);
      if (filter == null) {
        ok = false;
        continue;
      }
      staged.add(new Staged(registry.entry(spec.name()).orElseThrow().stage(), j, filter));
    }
    if (!ok) {
      return null;
    }
    staged.sort(Comparator.comparing(Staged::stage).thenComparingInt(Staged::order));
    return staged.stream().map(Staged::filter).toList();
  }

  private <C extends Record> GatewayFilter create(
      GatewayFilterFactory<C> factory, String name, ConfigNode yaml, String routeId, ConfigErrors errors,
      List<Runnable> closeActions, boolean validating) {
    C config = Binder.bind(yaml, factory.configType(), errors);
    if (config == null) {
      return null;
    }
    // The gateway registers its pool as a service; validation views have none (nothing may run).
    BlockingExecutor blocking = validating ? NO_BLOCKING_WHILE_VALIDATING
        : services.find(BlockingExecutor.class).orElse(NO_BLOCKING_POOL);
    FilterContext context = new FilterContext() {
      @Override
      public Vertx vertx() {
        return vertx;
      }

      @Override
      public String routeId() {
        return routeId;
      }

      @Override
      public <T> Optional<T> service(Class<T> type) {
        Optional<T> found = services.find(requireNonNull(type, "type"), factory.name(), routeId);
        if (found.isPresent() && services.heldWhileInUse(type)) {
          holdingRoutes.add(routeId);
        }
        return found;
      }

      @Override
      public void onClose(Runnable action) {
        closeActions.add(requireNonNull(action, "action"));
      }

      @Override
      public boolean validating() {
        return validating;
      }

      @Override
      public BlockingExecutor blocking() {
        return blocking;
      }

      @Override
      public Clock clock() {
        return CLOCK;
      }
    };
    GatewayFilter filter;
    try {
      filter = factory.create(config, context);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() == null || e.getMessage().isEmpty()) {
        return unexpectedFailure(factory, name, yaml, e, errors);
      }
      // "schema-file: x (expected: ...)" is shown at schema-file, like a record constructor's complaint.
      Binder.reportAtKey(yaml, factory.configType(), e.getMessage(), errors);
      return null;
    } catch (Exception | LinkageError e) {
      return unexpectedFailure(factory, name, yaml, e, errors);
    }
    if (filter == null) {
      errors.add(yaml, "the '" + name + "' filter could not be created: its factory "
          + factory.getClass().getName() + " returned no filter (expected: a filter)");
    }
    return filter;
  }

  // Not a validation message but a bug or a missing piece (an NPE, a class a plugin lacks): still
  // reported against the route and filter the operator wrote, never as a stack trace on stderr.
  // A plugin's filter also names the plugin and its jar: the operator must know whose code failed.
  private GatewayFilter unexpectedFailure(
      GatewayFilterFactory<?> factory, String name, ConfigNode yaml, Throwable failure, ConfigErrors errors) {
    String origin = registry.entry(name).map(e -> e.origin()).filter(o -> !o.isBuiltIn())
        .map(o -> " of " + o.describe()).orElse("");
    log.error("filter factory {} ({}{}) failed for {}", name, factory.getClass().getName(), origin, yaml.path(),
        failure);
    errors.add(yaml, "the '" + name + "' filter" + origin + " could not be created: " + failure
        + " (expected: a configuration its factory accepts; the log has the stack trace)");
    return null;
  }

  private static boolean sameDefinition(UpstreamTarget a, UpstreamTarget b) {
    return a.url().equals(b.url()) && a.weight() == b.weight() && a.ssl() == b.ssl();
  }

  /** What a loop's client and pools are built from: equal, the pools can serve the changed upstream. */
  private static boolean samePoolSettings(UpstreamConfig a, UpstreamConfig b) {
    return a.timeouts().connect().equals(b.timeouts().connect()) && a.pool().equals(b.pool())
        && a.tls().equals(b.tls()) && a.protocol() == b.protocol();
  }

  private Upstream upstream(String routeId, UpstreamConfig config, UpstreamResources resources,
      List<UpstreamTarget> previous) {
    List<UpstreamTarget> targets = new ArrayList<>();
    List<UpstreamTarget> unclaimed = new ArrayList<>(previous);
    for (TargetConfig t : config.targets()) {
      UpstreamTarget fresh = new UpstreamTarget(t.url().toString(), t.url().host(), t.url().port(), t.url().tls(),
          t.weight());
      UpstreamTarget same = unclaimed.stream().filter(p -> sameDefinition(p, fresh)).findFirst().orElse(null);
      unclaimed.remove(same);
      targets.add(same != null ? same : fresh);
    }
    LoadBalancer balancer = switch (config.loadBalancing()) {
      case ROUND_ROBIN -> new RoundRobinBalancer(targets);
      case LEAST_REQUESTS -> new LeastRequestsBalancer(targets);
      case CONSISTENT_HASH -> new ConsistentHashBalancer(targets, String.valueOf(config.hashOn()));
    };
    // Outlier detection and active health checks; the upstream closes the monitor with the snapshot.
    TargetMonitor monitor = services.find(TargetMonitorFactory.class).orElse(TargetMonitorFactory.NONE)
        .create(vertx, routeId, targets, config, services.find(StateEvents.class).orElse(null));
    UpstreamTlsConfig tls = config.tls();
    if (tls.insecureSkipVerify()) {
      log.warn("route {}: upstream TLS verification is OFF (tls.insecure-skip-verify: true): any certificate "
          + "and host name is accepted from {}", routeId, targets);
    }
    return new Upstream(targets, balancer, config.timeouts().connect().toMillis(), config.timeouts().response().toMillis(),
        config.timeouts().idle().toMillis(), config.pool().maxConnections(), config.pool().maxWaitQueue(), eventLoops,
        monitor, UpstreamTls.of(tls), resources, config.protocol() != UpstreamProtocol.HTTP1);
  }
}
