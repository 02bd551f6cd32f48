package io.edgeway.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.edgeway.config.ConfigDiff;
import io.edgeway.config.ConfigSection;
import io.edgeway.config.GatewayConfig;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.runtime.GatewayServices;
import io.edgeway.runtime.ReloadRefusedException;
import io.edgeway.runtime.StateEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one {@link JwtProvider} per {@code jwt-providers} entry at start-up and registers the
 * {@link JwtProviders} service. Key files are read on a worker thread; JWKS URLs are fetched with
 * the async client (the first fetch is awaited up to its timeout, a failure does not stop the
 * gateway: protected routes answer 503 until keys arrive). Adds {@code GET /jwt/providers} to the
 * admin API. A reload may add, change and remove providers ({@link #prepareReload}).
 */
public final class AuthModule implements GatewayModule {
  private static final Logger log = LoggerFactory.getLogger(AuthModule.class);
  private final Clock clock;
  /** Every provider started and not yet released (running, or built by a reload being prepared). */
  private final List<JwtProvider> providers = new CopyOnWriteArrayList<>();
  private volatile JwtProviders current;
  private Context context;
  private HttpClient client;

  public AuthModule() {
    this(Clock.systemUTC());
  }

  AuthModule(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "auth";
  }

  @Override
  public Optional<ConfigSection<?>> section() {
    return Optional.of(JwtProvidersConfig.SECTION);
  }

  /**
   * The providers as configured, holding no keys: enough for the {@code jwt} filter to check its
   * provider names and be created; no key file is read and no JWKS URL fetched.
   */
  @Override
  public void registerValidationViews(GatewayConfig config, GatewayServices views) {
    Map<String, JwtProvider> keyless = new LinkedHashMap<>();
    config.section(JwtProvidersConfig.SECTION).providers().forEach((name, provider) -> keyless.put(name,
        JwtProvider.keyless(name, provider, clock)));
    views.register(JwtProviders.class, new JwtProviders(keyless, clock));
  }

  @Override
  public Future<Void> start(Context context) {
    this.context = context;
    Map<String, JwtProviderConfig> configs = context.config().section(JwtProvidersConfig.SECTION).providers();
    return buildAll(configs, Map.of()).map(ordered -> {
      JwtProviders service = new JwtProviders(ordered, clock);
      current = service;
      context.services().register(JwtProviders.class, service);
      // Not held per request (GatewayServices.holdWhileInUse): a stopped provider still verifies with
      // the keys it has, it only refreshes no more, so jwt routes pay no reference count.
      // Not ready until every JWKS URL has answered once: a load balancer keeps traffic away
      // instead of the routes answering 503 (security.md F1).
      ordered.forEach((n, p) -> context.runtime().addReadinessCheck("jwks:" + n, p::hasKeys));
      if (context.admin() != null) {
        // Read at each call: a reload replaces the providers.
        context.admin().register("/jwt/providers", req -> Future.succeededFuture(current.status()));
      }
      return (Void) null;
    });
  }

  /**
   * Every provider of the section is live on reload: an unchanged one (same name, same settings)
   * is carried over with its keys and refresh timer; a new or changed one is built and loaded
   * before the swap, and a JWKS URL that yields no usable keys refuses the reload (at start-up the
   * same failure only delays readiness: here a route would answer 503 right after the swap).
   */
  @Override
  public List<ConfigDiff.Change> restartRequired(GatewayConfig running, GatewayConfig next) {
    return List.of();
  }

  @Override
  public Future<PreparedReload> prepareReload(GatewayConfig running, GatewayConfig next, GatewayServices staged) {
    Map<String, JwtProviderConfig> was = running.section(JwtProvidersConfig.SECTION).providers();
    Map<String, JwtProviderConfig> now = next.section(JwtProvidersConfig.SECTION).providers();
    JwtProviders before = current;
    Map<String, JwtProvider> kept = new LinkedHashMap<>();
    now.forEach((name, config) -> {
      if (config.equals(was.get(name))) {
        before.find(name).ifPresent(p -> kept.put(name, p));
      }
    });
    return buildAll(now, kept).compose(ordered -> {
      List<JwtProvider> fresh = ordered.values().stream().filter(p -> !kept.containsValue(p)).toList();
      for (JwtProvider p : fresh) {
        if (!p.hasKeys()) {
          fresh.forEach(this::release);
          return Future.failedFuture(new ReloadRefusedException("jwt-providers." + p.name() + ".jwks-url",
              p.config().jwksUrl() + ": " + p.status().getString("lastError")
                  + " (expected: a JWKS URL answering with usable keys before the reload applies)"));
        }
      }
      JwtProviders service = new JwtProviders(ordered, clock);
      staged.register(JwtProviders.class, service);
      List<JwtProvider> retired = before.names().stream().map(n -> before.find(n).orElseThrow())
          .filter(p -> !ordered.containsValue(p)).toList();
      return Future.succeededFuture(new PreparedReload() {
        @Override
        public void commit() {
          current = service;
          before.names().forEach(n -> context.runtime().removeReadinessCheck("jwks:" + n));
          ordered.forEach((n, p) -> context.runtime().addReadinessCheck("jwks:" + n, p::hasKeys));
          log.info("jwt providers reloaded: {} (new or changed: {}, removed: {})", ordered.keySet(),
              fresh.stream().map(JwtProvider::name).toList(),
              before.names().stream().filter(n -> !now.containsKey(n)).sorted().toList());
        }

        @Override
        public void releaseOld() {
          retired.forEach(AuthModule.this::release);
        }

        @Override
        public void abandon() {
          fresh.forEach(AuthModule.this::release);
        }
      });
    });
  }

  /**
   * Builds the providers of {@code configs} in their order, taking those in {@code kept} as they
   * are. A key file that cannot be read fails the whole build (and stops what it built).
   */
  private Future<Map<String, JwtProvider>> buildAll(Map<String, JwtProviderConfig> configs,
      Map<String, JwtProvider> kept) {
    Vertx vertx = context.vertx();
    StateEvents events = context.services().find(StateEvents.class).orElse((t, s, d) -> {});
    Map<String, JwtProvider> built = new ConcurrentHashMap<>(kept);
    List<JwtProvider> fresh = new CopyOnWriteArrayList<>();
    List<Future<?>> starts = new ArrayList<>();
    for (Map.Entry<String, JwtProviderConfig> e : configs.entrySet()) {
      String name = e.getKey();
      JwtProviderConfig config = e.getValue();
      if (kept.containsKey(name)) {
        continue;
      }
      Future<JwtProvider> provider = switch (config.keySource()) {
        case SECRET -> Future.succeededFuture(JwtProvider.fixed(name, config, clock, KeySet.of(
            new JWKSet(new OctetSequenceKey.Builder(config.secret().getBytes(StandardCharsets.UTF_8)).build()),
            config.allowedAlgorithms(), false)));
        case PUBLIC_KEY_FILE -> vertx.executeBlocking(() -> JwtProvider.fixed(name, config, clock, KeySet.of(
            new JWKSet(PemPublicKeys.parse(read(name, "public-key-file", config.publicKeyFile()))),
            config.allowedAlgorithms(), false)), false);
        case JWKS_FILE -> vertx.executeBlocking(() -> JwtProvider.fixed(name, config, clock, KeySet.of(
            JWKSet.parse(read(name, "jwks-file", config.jwksFile())), config.allowedAlgorithms(), true)), false);
        case JWKS_URL -> {
          JwtProvider remote = JwtProvider.remote(name, config, clock, vertx, new JwksFetcher(vertx, client(vertx),
              config.jwksUrl(), config.jwksFetchTimeout().toMillis(), config.jwksMaxSize().bytes()), events);
          fresh.add(remote); // its refresh timer runs even when its first fetch failed
          yield remote.start().map(v -> remote);
        }
      };
      starts.add(provider
          .onSuccess(p -> {
            built.put(name, p);
            if (!fresh.contains(p)) {
              fresh.add(p);
            }
          })
          .recover(failure -> Future.failedFuture(new ReloadRefusedException("jwt-providers." + name,
              describe(config, failure)))));
    }
    return Future.all(starts).map(v -> {
      Map<String, JwtProvider> ordered = new LinkedHashMap<>();
      configs.keySet().forEach(n -> ordered.put(n, built.get(n)));
      providers.addAll(fresh);
      return ordered;
    }).recover(failure -> {
      fresh.forEach(JwtProvider::stop);
      return Future.failedFuture(failure);
    });
  }

  private void release(JwtProvider provider) {
    provider.stop();
    providers.remove(provider);
  }

  // Called from start() and reload preparation, which never overlap.
  private HttpClient client(Vertx vertx) {
    if (client == null) {
      client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxRedirects(0)
          .setVerifyHost(true), new PoolOptions().setHttp1MaxSize(2).setMaxWaitQueueSize(8));
    }
    return client;
  }

  private static String read(String name, String key, String file) throws Exception {
    Path path = Path.of(file);
    if (Files.size(path) > 1 << 20) {
      throw new IllegalArgumentException(key + ": " + file + " is larger than 1 MiB (expected: a key file)");
    }
    return Files.readString(path, StandardCharsets.UTF_8);
  }

  private static String describe(JwtProviderConfig config, Throwable failure) {
    String where = switch (config.keySource()) {
      case PUBLIC_KEY_FILE -> "public-key-file: " + config.publicKeyFile() + ": ";
      case JWKS_FILE -> "jwks-file: " + config.jwksFile() + ": ";
      default -> "";
    };
    String message = failure instanceof java.io.IOException io
        ? "cannot read (" + io.getClass().getSimpleName() + ") (expected: a readable file)"
        : failure.getMessage();
    return where + message;
  }

  private void stopProviders() {
    providers.forEach(JwtProvider::stop);
  }

  @Override
  public Future<Void> stop() {
    stopProviders();
    return client == null ? Future.succeededFuture() : client.close();
  }
}
