package io.edgeway.testkit;

import static java.util.Objects.requireNonNull;

import io.edgeway.runtime.EmbeddedGateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a real Edgeway gateway in the test's JVM, on 127.0.0.1 port 0, in
 * front of a {@link RecordingUpstream}, with the plugin's filters found on the test class path (its
 * {@code META-INF/services} entry) next to the built-ins. The configuration goes through the same
 * validation as {@code --check}; {@code {{upstream}}} in it is replaced by the upstream's URL.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final GatewayExtension gateway = GatewayExtension.withRoutes("""
 *     - id: api
 *       match: { path: /api/** }
 *       upstream: { targets: [ { url: "{{upstream}}" } ] }
 *       filters:
 *         - user-agent-block: { words: [sqlmap] }
 *     """);
 *
 * @Test
 * void blocksScanners() throws Exception {
 *   assertThat(gateway.get("/api/x", "User-Agent", "sqlmap/1.7").statusCode()).isEqualTo(403);
 *   assertThat(gateway.upstream().requests()).isEmpty();
 * }
 * }</pre>
 *
 * <p>Registered on a static field, one gateway serves the whole class; on an instance field, each
 * test gets its own. The upstream's record is cleared before each test.
 *
 * <p>{@link #pluginJar(Path)} tests the built jar instead of the class path, loaded as the shipped
 * gateway loads {@code plugins/} (its own class loader, its manifest's SPI version checked): use it
 * in a failsafe {@code *IT} test, which runs after {@code package}; the plugin parent passes the jar's
 * path as the system property {@code edgeway.plugin.jar}.
 */
public final class GatewayExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private static final String DEFAULT_HEAD = """
      server: { host: 127.0.0.1, port: 0, instances: 1 }
      admin: { host: 127.0.0.1, port: 0 }
      """;

  private final String configTemplate;
  private Path pluginJar;
  private Path pluginDirectory;
  // HTTP/1.1 explicitly: the JDK client's default offers an h2c upgrade on http:// URIs, which the
  // gateway refuses (400 h2c_upgrade_rejected, a request-smuggling guard).
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private RecordingUpstream upstream;
  private EmbeddedGateway gateway;
  private boolean perTest;

  private GatewayExtension(String configTemplate) {
    this.configTemplate = requireNonNull(configTemplate, "configTemplate");
  }

  /**
   * A gateway whose {@code routes:} list is {@code routesYaml} (a YAML list, indented or not), with
   * the listener and admin API on 127.0.0.1 port 0 and one event loop.
   *
   * @param routesYaml the routes
   * @return the extension, to register with {@code @RegisterExtension}
   */
  public static GatewayExtension withRoutes(String routesYaml) {
    return new GatewayExtension(DEFAULT_HEAD + "routes:\n" + routesYaml.stripIndent().indent(2));
  }

  /**
   * A gateway with a whole configuration of the test's own (it writes its {@code server:} and
   * {@code admin:} sections: use 127.0.0.1 and port 0).
   *
   * @param yaml the configuration, {@code {{upstream}}} standing for the upstream's URL
   * @return the extension, to register with {@code @RegisterExtension}
   */
  public static GatewayExtension withConfig(String yaml) {
    return new GatewayExtension(yaml);
  }

  /**
   * Loads the plugin from its built jar, isolated as in production, instead of from the test class
   * path.
   *
   * @param jar the plugin jar, e.g. {@code Path.of(System.getProperty("edgeway.plugin.jar"))}
   * @return this extension
   */
  public GatewayExtension pluginJar(Path jar) {
    if (!Files.isRegularFile(requireNonNull(jar, "jar"))) {
      throw new IllegalArgumentException("plugin jar: " + jar + " (expected: a built jar; run as a failsafe *IT test)");
    }
    this.pluginJar = jar;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (gateway == null) {
      perTest = true;
      start();
    }
    upstream.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (perTest) {
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  private void start() throws Exception {
    upstream = RecordingUpstream.start();
    String yaml = configTemplate.replace("{{upstream}}", upstream.url());
    try {
      if (pluginJar != null) {
        pluginDirectory = Files.createTempDirectory("edgeway-plugins");
        Files.copy(pluginJar, pluginDirectory.resolve(pluginJar.getFileName()));
        gateway = EmbeddedGateway.startWithPlugins("test.yaml", yaml, pluginDirectory);
      } else {
        ClassLoader testClassPath = Thread.currentThread().getContextClassLoader();
        gateway = EmbeddedGateway.start("test.yaml", yaml, List.of(testClassPath));
      }
    } catch (Exception e) {
      upstream.close();
      upstream = null;
      throw e;
    }
  }

  private void stop() throws Exception {
    try {
      if (gateway != null) {
        gateway.close();
      }
    } finally {
      gateway = null;
      if (upstream != null) {
        upstream.close();
        upstream = null;
      }
      if (pluginDirectory != null) {
        try (Stream<Path> files = Files.list(pluginDirectory)) {
          for (Path file : files.toList()) {
            Files.deleteIfExists(file);
          }
        }
        Files.deleteIfExists(pluginDirectory);
        pluginDirectory = null;
      }
    }
  }

  /**
   * The gateway's listener port.
   *
   * @return the port
   */
  public int port() {
    return running().port();
  }

  /**
   * The admin API's port.
   *
   * @return the port
   */
  public int adminPort() {
    return running().adminPort();
  }

  /**
   * The upstream behind the gateway.
   *
   * @return the recording upstream
   */
  public RecordingUpstream upstream() {
    running();
    return upstream;
  }

  /**
   * A URI on the gateway.
   *
   * @param pathAndQuery e.g. {@code /api/orders?limit=5}
   * @return {@code http://127.0.0.1:PORT/api/orders?limit=5}
   */
  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  /**
   * Sends a GET through the gateway.
   *
   * @param pathAndQuery the path (and query)
   * @param headerNamesAndValues header name, value, name, value, ...
   * @return the response with its body as text
   * @throws IOException when the connection fails
   * @throws InterruptedException when interrupted
   */
  public HttpResponse<String> get(String pathAndQuery, String... headerNamesAndValues)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).GET();
    return send(withHeaders(request, headerNamesAndValues));
  }

  /**
   * Sends a POST with a text body through the gateway.
   *
   * @param pathAndQuery the path (and query)
   * @param body the body (UTF-8)
   * @param headerNamesAndValues header name, value, name, value, ...
   * @return the response with its body as text
   * @throws IOException when the connection fails
   * @throws InterruptedException when interrupted
   */
  public HttpResponse<String> post(String pathAndQuery, String body, String... headerNamesAndValues)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).POST(HttpRequest.BodyPublishers.ofString(body));
    return send(withHeaders(request, headerNamesAndValues));
  }

  /**
   * Sends any request (build it on {@link #uri}); the response body as text.
   *
   * @param request the request
   * @return the response
   * @throws IOException when the connection fails
   * @throws InterruptedException when interrupted
   */
  public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("headers: an odd count (expected: name, value pairs)");
    }
    for (int i = 0; i < namesAndValues.length; i += 2) {
      request.header(namesAndValues[i], namesAndValues[i + 1]);
    }
    return request;
  }

  private EmbeddedGateway running() {
    if (gateway == null) {
      throw new IllegalStateException("the gateway is not running (register the extension with @RegisterExtension)");
    }
    return gateway;
  }
}
