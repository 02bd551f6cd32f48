package io.edgeway.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.edgeway.config.ConfigSection;
import io.edgeway.config.GatewayConfig;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.runtime.GatewayServices;
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

/**
 * Builds one {@link JwtProvider} per {@code jwt-providers} entry at start-up and registers the
 * {@link JwtProviders} service. Key files are read on a worker thread; JWKS URLs are fetched with
 * the async client (the first fetch is awaited up to its timeout, a failure does not stop the
 * gateway: protected routes answer 503 until keys arrive). Adds {@code GET /jwt/providers} to the
 * admin API.
 */
public final class AuthModule implements GatewayModule {
  private final Clock clock;
  private final List<JwtProvider> providers = new CopyOnWriteArrayList<>();
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
    Vertx vertx = context.vertx();
    Map<String, JwtProviderConfig> configs = context.config().section(JwtProvidersConfig.SECTION).providers();
    StateEvents events = context.services().find(StateEvents.class).orElse((t, s, d) -> {});
    Map<String, JwtProvider> built = new ConcurrentHashMap<>();
    List<Future<?>> starts = new ArrayList<>();
    for (Map.Entry<String, JwtProviderConfig> e : configs.entrySet()) {
      String name = e.getKey();
      JwtProviderConfig config = e.getValue();
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
          yield remote.start().map(v -> remote);
        }
      };
      starts.add(provider
          .onSuccess(p -> {
            built.put(name, p);
            providers.add(p);
          })
          .recover(failure -> Future.failedFuture(new IllegalArgumentException(
              "jwt-providers." + name + ": " + describe(config, failure)))));
    }
    return Future.all(starts).map(v -> {
      Map<String, JwtProvider> ordered = new LinkedHashMap<>();
      configs.keySet().forEach(n -> ordered.put(n, built.get(n)));
      JwtProviders service = new JwtProviders(ordered, clock);
      context.services().register(JwtProviders.class, service);
      // Not ready until every JWKS URL has answered once: a load balancer keeps traffic away
      // instead of the routes answering 503 (security.md F1).
      ordered.forEach((n, p) -> context.runtime().addReadinessCheck("jwks:" + n, p::hasKeys));
      if (context.admin() != null) {
        context.admin().register("/jwt/providers", req -> Future.succeededFuture(service.status()));
      }
      return (Void) null;
    }).recover(failure -> {
      stopProviders();
      return Future.failedFuture(failure);
    });
  }

  // Only called from start(), on one thread.
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
