package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.ConfigException;
import io.edgeway.config.LoadedConfig;
import io.edgeway.filter.FilterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway started in this JVM from YAML text, with its own Vert.x instance: what the plugin test
 * kit runs (and anyone embedding Edgeway). It goes through the same validation and start-up as
 * {@code java -jar edgeway.jar}; filters come from the built-ins and from the given class loaders
 * (a plugin's test class path), modules from the gateway's own.
 */
public final class EmbeddedGateway implements AutoCloseable {
  private final Vertx vertx;
  private final Gateway gateway;

  private EmbeddedGateway(Vertx vertx, Gateway gateway) {
    this.vertx = vertx;
    this.gateway = gateway;
  }

  /**
   * Validates and starts a gateway; returns once it is serving.
   *
   * @param source the name errors are reported under, e.g. {@code test.yaml}
   * @param yaml the whole configuration
   * @param filterLoaders class loaders whose {@code META-INF/services} filter factories are added
   *     to the built-ins (a name claimed twice fails)
   * @throws ConfigException when the configuration is invalid (every error, as {@code --check} reports them)
   * @throws Exception when a module or listener fails to start
   */
  public static EmbeddedGateway start(String source, String yaml, List<ClassLoader> filterLoaders) throws Exception {
    requireNonNull(source, "source");
    requireNonNull(yaml, "yaml");
    ClassLoader own = EmbeddedGateway.class.getClassLoader();
    List<ClassLoader> loaders = new ArrayList<>();
    loaders.add(own);
    for (ClassLoader loader : filterLoaders) {
      if (loader != own) {
        loaders.add(loader);
      }
    }
    FilterRegistry registry = FilterRegistry.discover(loaders);
    List<GatewayModule> modules = Gateway.discoverModules(own);
    ConfigValidator validator = new ConfigValidator(registry, modules);
    LoadedConfig loaded = validator.load(source, yaml, System::getenv);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loaded.config().server().instances()));
    try {
      Gateway gateway = Gateway.start(vertx, loaded, ConfigOrigin.ofText(source, yaml), registry, modules)
          .await(60, TimeUnit.SECONDS);
      return new EmbeddedGateway(vertx, gateway);
    } catch (Exception e) {
      vertx.close();
      throw e instanceof ConfigException || e.getCause() == null ? e
          : e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /**
   * The port of the first listener.
   *
   * @return the bound port (useful with port 0)
   */
  public int port() {
    return gateway.port();
  }

  /**
   * The port of {@code server.listeners[index]}.
   *
   * @param index the listener's index
   * @return the bound port
   */
  public int port(int index) {
    return gateway.port(index);
  }

  /**
   * The admin API's port.
   *
   * @return the bound port
   */
  public int adminPort() {
    return gateway.adminPort();
  }

  /**
   * The gateway's Vert.x instance.
   *
   * @return the instance
   */
  public Vertx vertx() {
    return vertx;
  }

  /** Drains and stops the gateway (a short grace), then closes its Vert.x instance. */
  @Override
  public void close() throws Exception {
    try {
      gateway.stop(Duration.ZERO, Duration.ofSeconds(2)).await(15, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(15, TimeUnit.SECONDS);
    }
  }
}
