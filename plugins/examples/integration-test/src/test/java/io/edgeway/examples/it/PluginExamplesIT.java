package io.edgeway.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.edgeway.spi.SpiVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two example plugins as a user deploys them: the BUILT jars (copied by the build into
 * target/plugins) in a plugins directory, and the shipped gateway jar started as its own process,
 * {@code java -jar target/edgeway.jar --config FILE --plugins DIR}. A test class path can hide a plugin
 * jar that lacks a class, a services entry or a bundled library; a separate JVM cannot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginExamplesIT {
  private static final Path ROOT = Path.of(System.getProperty("edgeway.root", "../../..")).toAbsolutePath().normalize();
  private static final Path GATEWAY_JAR = ROOT.resolve("target/edgeway.jar");
  private static final Path PLUGINS = Path.of(System.getProperty("edgeway.plugins.dir", "target/plugins")).toAbsolutePath();

  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1) // the gateway refuses h2c upgrades, which the JDK client offers
      .connectTimeout(Duration.ofSeconds(5)).build();
  private Path dir;
  private RecordingHttpUpstream upstream;
  private Process gateway;
  private Path log;
  private String base;
  private String admin;

  @BeforeAll
  void start(@TempDir Path workDir) throws Exception {
    dir = workDir;
    assertThat(GATEWAY_JAR).as("the gateway's runnable jar (build the root first)").isRegularFile();
    assertThat(PLUGINS.resolve("ip-filter.jar")).isRegularFile();
    assertThat(PLUGINS.resolve("json-body-validation.jar")).isRegularFile();
    upstream = new RecordingHttpUpstream();
    Files.writeString(dir.resolve("order.schema.json"), """
        {
          "type": "object",
          "required": ["sku", "quantity"],
          "properties": {
            "sku": { "type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$" },
            "quantity": { "type": "integer", "minimum": 1 }
          },
          "additionalProperties": false
        }
        """);
    // A separate process cannot report a port it picked, so the test picks free ones.
    int port = freePort();
    int adminPort = freePort();
    Path config = dir.resolve("edgeway.yaml");
    Files.writeString(config, config(port, adminPort, "127.0.0.0/8"));
    base = "http://127.0.0.1:" + port;
    admin = "http://127.0.0.1:" + adminPort;
    log = dir.resolve("gateway.log");
    gateway = java(List.of("-jar", GATEWAY_JAR.toString(), "--config", config.toString(), "--plugins", PLUGINS.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    awaitReady();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (gateway != null && gateway.isAlive()) {
        gateway.destroy(); // SIGTERM, as a user's service manager stops it
        if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
          gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      if (upstream != null) {
        upstream.close();
      }
    }
  }

  @BeforeEach
  void clearUpstream() {
    upstream.clear();
  }

  private String config(int port, int adminPort, String allowed) {
    return """
        server: { host: 127.0.0.1, port: %d, instances: 1, drain-delay: 0s, shutdown-grace: 5s }
        admin: { host: 127.0.0.1, port: %d }
        routes:
          - id: orders
            match: { path: /orders/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - json-body-validation: { schema-file: "%s", max-body: 1KiB }
              - ip-filter: { allow: [%s] }
          - id: blocked
            match: { path: /blocked/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - ip-filter: { deny: ["::ffff:127.0.0.1"] }
        """.formatted(port, adminPort, upstream.url(), dir.resolve("order.schema.json"), allowed, upstream.url());
  }

  @Test
  @Order(1)
  void aValidBodyFromAnAllowedClientReachesTheUpstreamByteExact() throws Exception {
    String body = "{\"sku\": \"ABC-1234\",  \"quantity\": 2}";

    HttpResponse<String> response = post("/orders/new", body, "application/json");

    assertThat(response.statusCode()).as(logs()).isEqualTo(200);
    assertThat(upstream.requests()).hasSize(1);
    RecordingHttpUpstream.Received received = upstream.requests().get(0);
    assertThat(received.method()).isEqualTo("POST");
    assertThat(received.path()).isEqualTo("/orders/new");
    assertThat(received.body()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    assertThat(received.headers().getFirst("Content-Length")).isEqualTo(Integer.toString(body.length()));
  }

  @Test
  @Order(2)
  void violationsAreListedAndNeverReachTheUpstream() throws Exception {
    HttpResponse<String> response = post("/orders/new", "{\"sku\":\"abc\",\"quantity\":0,\"x\":1}", "application/json");

    assertThat(response.statusCode()).as(logs()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body())
        .contains("\"code\":\"schema_violation\"", "\"route\":\"orders\"", "\"violations\":[")
        .contains("\"path\":\"/sku\"", "\"path\":\"/quantity\"");
    assertThat(post("/orders/new", "sku=ABC-1234", "application/x-www-form-urlencoded").statusCode()).isEqualTo(415);
    assertThat(post("/orders/new", "{\"sku\":", "application/json").statusCode()).isEqualTo(400);
    assertThat(post("/orders/new", "{\"sku\":\"" + "A".repeat(2000) + "\"}", "application/json").statusCode())
        .isEqualTo(413);
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  @Order(3)
  void aDeniedClientIsRefusedAtTheEdgeAndTheUpstreamReceivesNothing() throws Exception {
    // The rule is written IPv4-mapped; the client connects over IPv4 from 127.0.0.1.
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/blocked/x")).GET());

    assertThat(response.statusCode()).as(logs()).isEqualTo(403);
    assertThat(response.body()).contains("\"code\":\"ip_denied\"", "\"route\":\"blocked\"");
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  @Order(4)
  void theAdminApiListsBothPluginsWithTheRoutesUsingThem() throws Exception {
    HttpResponse<String> response = get(admin + "/plugins");

    assertThat(response.statusCode()).as(logs()).isEqualTo(200);
    assertThat(response.body().replace(" ", ""))
        .contains("\"name\":\"ip-filter\"", "\"name\":\"json-body-validation\"")
        .contains("\"stage\":\"EDGE\"", "\"stage\":\"TRANSFORM\"")
        .contains("\"spiVersion\":\"" + SpiVersion.CURRENT + "\"");
  }

  @Test
  @Order(5)
  void eachBuiltJarDeclaresTheSpiVersionOfThisGateway() throws Exception {
    for (String name : List.of("ip-filter", "json-body-validation")) {
      try (JarFile jar = new JarFile(PLUGINS.resolve(name + ".jar").toFile())) {
        Manifest manifest = jar.getManifest();
        assertThat(manifest.getMainAttributes().getValue("Edgeway-Spi-Version")).as(name).isEqualTo(SpiVersion.CURRENT);
        assertThat(manifest.getMainAttributes().getValue("Edgeway-Plugin-Name")).as(name).isEqualTo(name);
        assertThat(jar.getEntry("META-INF/services/io.edgeway.spi.GatewayFilterFactory")).as(name).isNotNull();
        // The gateway has its own Netty; a plugin jar must not carry one (nor its native libraries).
        assertThat(jar.stream().map(entry -> entry.getName()))
            .as(name).noneMatch(entry -> entry.startsWith("io/netty/") || entry.startsWith("META-INF/native/"));
      }
    }
  }

  @Test
  @Order(6)
  void checkAcceptsTheConfigurationAndRejectsABadPluginConfigWithItsPosition() throws Exception {
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, config(1, 2, "127.0.0.0/8"));
    Finished ok = run("--check", "--config", good.toString(), "--plugins", PLUGINS.toString());
    assertThat(ok.exitCode()).as(ok.output()).isZero();
    assertThat(ok.output()).contains("configuration OK (2 routes)");

    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, config(1, 2, "127.0.0.0/8, 10.0.0.0/33"));
    Finished refused = run("--check", "--config", bad.toString(), "--plugins", PLUGINS.toString());
    assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
    // Line 9 is `      - ip-filter: { allow: [127.0.0.0/8, 10.0.0.0/33] }`: the second item starts in column 43.
    assertThat(refused.output()).contains(bad + ":9:43: routes[0].filters[1].ip-filter.allow[1]: 10.0.0.0/33 "
        + "(expected: a CIDR such as 10.0.0.0/8 or 2001:db8::/32)");

    // The schema file is read by create(), which --check runs too.
    Path missingSchema = dir.resolve("no-such.schema.json");
    Path bad2 = dir.resolve("bad2.yaml");
    Files.writeString(bad2, config(1, 2, "127.0.0.0/8").replace(dir.resolve("order.schema.json").toString(),
        missingSchema.toString()));
    Finished refused2 = run("--check", "--config", bad2.toString(), "--plugins", PLUGINS.toString());
    assertThat(refused2.exitCode()).as(refused2.output()).isEqualTo(2);
    assertThat(refused2.output()).contains(bad2 + ":8:").contains("routes[0].filters[0].json-body-validation")
        .contains(missingSchema + " (expected: a readable file; NoSuchFileException");
  }

  @Test
  @Order(7)
  void sigtermStopsTheGatewayCleanly() throws Exception {
    assertThat(get(admin + "/ready").statusCode()).isEqualTo(200);
    gateway.destroy();
    assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as(logs()).isTrue();
    assertThat(gateway.exitValue()).as(logs()).isZero();
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!gateway.isAlive()) {
        fail("the gateway exited with " + gateway.exitValue() + " before it was ready\n" + logs());
      }
      try {
        if (get(admin + "/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // keep polling
      }
      Thread.sleep(100);
    }
    fail("the gateway was not ready within 60 s\n" + logs());
  }

  private HttpResponse<String> post(String path, String body, String contentType) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> get(String url) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private record Finished(int exitCode, String output) {}

  private Finished run(String... arguments) throws Exception {
    Path out = Files.createTempFile(dir, "check", ".log");
    List<String> command = new ArrayList<>(List.of("-jar", GATEWAY_JAR.toString()));
    command.addAll(List.of(arguments));
    Process process = java(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("edgeway " + String.join(" ", arguments) + " did not exit within 60 s\n" + Files.readString(out));
    }
    return new Finished(process.exitValue(), Files.readString(out));
  }

  private ProcessBuilder java(List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(arguments);
    return new ProcessBuilder(command).directory(dir.toFile());
  }

  private String logs() {
    try {
      return "--- gateway output ---\n" + Files.readString(log);
    } catch (IOException e) {
      return "(no gateway output: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
