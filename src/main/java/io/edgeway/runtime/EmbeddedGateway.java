package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.ConfigException;
import io.edgeway.config.LoadedConfig;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.plugin.PluginException;
import io.edgeway.plugin.PluginSet;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A gateway started in this JVM from YAML text, with its own Vert.x instance: what the plugin test
 * kit runs (and anyone embedding Edgeway). It goes through the same validation and start-up as
 * {@code java -jar edgeway.jar}. Filters come from the built-ins and either from the given class
 * loaders (a plugin's test class path) or from a plugins directory, loaded as the shipped gateway
 * loads it (one isolated class loader per jar, SPI version checked); modules from the gateway's own.
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
    refuseOnEventLoop("start");
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
    return start(source, yaml, PluginSet.fixed(FilterRegistry.discover(loaders)));
  }

  /**
   * Validates and starts a gateway whose plugins are the jars in {@code pluginDirectory}, loaded
   * exactly as {@code java -jar edgeway.jar --plugins DIR} loads them; returns once it is serving.
   *
   * @param source the name errors are reported under
   * @param yaml the whole configuration
   * @param pluginDirectory a directory of plugin jars
   * @throws PluginException when a jar cannot be loaded (its SPI version, a name clash, ...)
   * @throws ConfigException when the configuration is invalid
   * @throws Exception when a module or listener fails to start
   */
  public static EmbeddedGateway startWithPlugins(String source, String yaml, Path pluginDirectory) throws Exception {
    refuseOnEventLoop("startWithPlugins");
    requireNonNull(pluginDirectory, "pluginDirectory");
    // Built-ins are the gateway's own classes: the test class path around an embedded gateway may
    // also register the plugin under test, which must come from its jar alone.
    URL gatewayCode = codeSource(EmbeddedGateway.class);
    return start(requireNonNull(source, "source"), requireNonNull(yaml, "yaml"), PluginSet.load(pluginDirectory,
        EmbeddedGateway.class.getClassLoader(), type -> Objects.equals(codeSource(type), gatewayCode)));
  }

  private static URL codeSource(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    return source == null ? null : source.getLocation();
  }

  private static EmbeddedGateway start(String source, String yaml, PluginSet plugins) throws Exception {
    Vertx vertx = null;
    try {
      List<GatewayModule> modules = Gateway.discoverModules(EmbeddedGateway.class.getClassLoader());
      LoadedConfig loaded = new ConfigValidator(plugins.registry(), modules).load(source, yaml, System::getenv);
      vertx = EventLoopTransport.choose(loaded.config().server().transport())
          .vertx(new VertxOptions().setEventLoopPoolSize(loaded.config().server().instances()));
      Gateway gateway = Gateway.start(vertx, loaded, ConfigOrigin.ofText(source, yaml), plugins, modules)
          .await(60, TimeUnit.SECONDS);
      return new EmbeddedGateway(vertx, gateway);
    } catch (Exception e) {
      plugins.closeUnused();
      if (vertx != null) {
        vertx.close();
      }
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
    refuseOnEventLoop("close");
    try {
      gateway.stop(Duration.ZERO, Duration.ofSeconds(2)).await(15, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(15, TimeUnit.SECONDS);
    }
  }

  // Both wait for the gateway (and start reads plugin jars): fine on a test's or an application's
  // thread, never on an event loop, which would block it (and could wait on itself).
  private static void refuseOnEventLoop(String what) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("EmbeddedGateway." + what + " blocks: call it off the event loop "
          + "(e.g. from a test thread or vertx.executeBlocking)");
    }
  }
}
