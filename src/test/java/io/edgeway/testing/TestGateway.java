package io.edgeway.testing;

import io.edgeway.config.ConfigLoader;
import io.edgeway.config.LoadedConfig;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.runtime.ConfigOrigin;
import io.edgeway.runtime.Gateway;
import io.edgeway.runtime.GatewayModule;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real gateway started from YAML text on ephemeral loopback ports. */
public final class TestGateway implements AutoCloseable {
  private final Gateway gateway;

  private TestGateway(Gateway gateway) {
    this.gateway = gateway;
  }

  /**
   * Starts a gateway. Unless the YAML says otherwise, the listener and admin API bind 127.0.0.1
   * on port 0 with one event loop.
   */
  public static TestGateway start(Vertx vertx, String yaml) throws Exception {
    return start(vertx, yaml, List.of());
  }

  /** Starts a gateway whose module list begins with {@code firstModules} (then the discovered ones). */
  public static TestGateway start(Vertx vertx, String yaml, List<GatewayModule> firstModules) throws Exception {
    String full = yaml.contains("server:") ? yaml
        : "server: { host: 127.0.0.1, port: 0, instances: 1 }\nadmin: { host: 127.0.0.1, port: 0 }\n" + yaml;
    LoadedConfig loaded = ConfigLoader.load("test.yaml", full);
    List<GatewayModule> modules = new ArrayList<>(firstModules);
    modules.addAll(Gateway.discoverModules(TestGateway.class.getClassLoader()));
    FilterRegistry registry = FilterRegistry.discover(List.of(TestGateway.class.getClassLoader()));
    return new TestGateway(Gateway.start(vertx, loaded, "test.yaml", registry, modules).await(20, TimeUnit.SECONDS));
  }

  /**
   * Starts a gateway from a configuration file, as {@code java -jar edgeway.jar --config FILE}
   * does: SIGHUP-style reloads ({@code gateway().reloader()}), {@code POST /config/reload} and,
   * unless the file turns it off, the file watcher reload it. The file writes its own
   * {@code server:} and {@code admin:} sections (use port 0 and 127.0.0.1).
   */
  public static TestGateway startFromFile(Vertx vertx, Path file, List<GatewayModule> firstModules) throws Exception {
    String text = ConfigLoader.readText(file);
    LoadedConfig loaded = ConfigLoader.load(file.toString(), text);
    List<GatewayModule> modules = new ArrayList<>(firstModules);
    modules.addAll(Gateway.discoverModules(TestGateway.class.getClassLoader()));
    FilterRegistry registry = FilterRegistry.discover(List.of(TestGateway.class.getClassLoader()));
    return new TestGateway(Gateway.start(vertx, loaded, ConfigOrigin.ofFile(file, text), registry, modules)
        .await(20, TimeUnit.SECONDS));
  }

  public int port() {
    return gateway.port();
  }

  /** The port of {@code server.listeners[index]}. */
  public int port(int index) {
    return gateway.port(index);
  }

  public int adminPort() {
    return gateway.adminPort();
  }

  public Gateway gateway() {
    return gateway;
  }

  /** A client with keep-alive pointed at the gateway. */
  public HttpClient client(Vertx vertx) {
    return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port()));
  }

  @Override
  public void close() throws Exception {
    gateway.stop(Duration.ofSeconds(2)).await(10, TimeUnit.SECONDS);
  }
}
