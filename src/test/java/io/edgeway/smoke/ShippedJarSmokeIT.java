package io.edgeway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user does first, against the packaged jar in its own JVM: start it on the shipped
 * configuration, call the demo route and every admin endpoint docs/admin.md lists, validate configs
 * with {@code --check}, send SIGHUP, stop it with SIGTERM. The test class path can hide a missing
 * dependency (jackson-databind once made every admin test pass while {@code GET /routes} hung in
 * the jar); the jar cannot. Run by maven-failsafe in the integration-test phase, after shade.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShippedJarSmokeIT {
  /**
   * Every admin endpoint, as docs/admin.md's "Endpoints" table lists it, with the request the suite
   * sends (a purge needs a selector).
   */
  static final Map<String, String> ADMIN_ENDPOINTS = new LinkedHashMap<>();

  static {
    for (String path : new String[] {"/health", "/ready", "/routes", "/circuit-breakers", "/upstreams", "/retries",
        "/ratelimit", "/cache/stats", "/jwt/providers", "/events/stats", "/tls", "/config", "/plugins"}) {
      ADMIN_ENDPOINTS.put("GET " + path, path);
    }
    ADMIN_ENDPOINTS.put("POST /cache/purge", "/cache/purge?all=true");
    // The file has not changed since start: the reload answers 200 "unchanged".
    ADMIN_ENDPOINTS.put("POST /config/reload", "/config/reload");
  }

  /** The README's admin endpoints that answer something other than JSON, with their content type. */
  static final Map<String, String> NON_JSON_ENDPOINTS = Map.of(
      "GET /metrics", "text/plain; version=0.0.4; charset=utf-8",
      "GET /", "text/html; charset=utf-8");

  private static final Path REPO = Path.of("").toAbsolutePath();

  private Path dir;
  private ShippedJar gateway;
  private String base;
  private String admin;

  @BeforeAll
  void start(@TempDir Path workDir) throws Exception {
    dir = workDir;
    // The working directory a user would have: config/edgeway.yaml in it, data/ written under it.
    Files.createDirectories(dir.resolve("config"));
    Files.copy(REPO.resolve("config/edgeway.yaml"), dir.resolve("config/edgeway.yaml"));
    Files.copy(REPO.resolve("config/container.yaml"), dir.resolve("config/container.yaml"));
    int port = ShippedJar.freePort();
    int adminPort = ShippedJar.freePort();
    int demoPort = ShippedJar.freePort();
    gateway = ShippedJar.start(dir, Map.of(
        "EDGEWAY_HOST", "127.0.0.1",
        "EDGEWAY_PORT", Integer.toString(port),
        "EDGEWAY_ADMIN_PORT", Integer.toString(adminPort),
        "EDGEWAY_DEMO_PORT", Integer.toString(demoPort),
        // Only SIGHUP reloads here, so the SIGHUP test proves the signal did it, not the watcher.
        "EDGEWAY_RELOAD_WATCH", "false"), "--config", "config/edgeway.yaml");
    base = "http://127.0.0.1:" + port;
    admin = "http://127.0.0.1:" + adminPort;
    gateway.awaitReady(admin + "/ready", Duration.ofSeconds(40));
  }

  @AfterAll
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  @Order(1)
  void theDemoRouteAnswersThroughTheEchoWithoutReflectingCredentials() throws Exception {
    HttpResponse<String> response = ShippedJar.send("GET", base + "/demo/hello?x=1",
        Map.of("Authorization", "Bearer smoke-secret", "User-Agent", "smoke-test"));
    assertThat(response.statusCode()).as(gateway.logs()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.headers().firstValue("X-Served-By")).hasValue("edgeway");
    JsonObject echo = new JsonObject(response.body());
    assertThat(echo.getString("service")).isEqualTo("edgeway-demo-upstream");
    assertThat(echo.getString("path")).isEqualTo("/hello");
    assertThat(response.body()).doesNotContain("smoke-secret");
  }

  @Test
  @Order(1)
  void theEventLoopsRunOnANativeTransportOnLinux() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"));
    // The jar carries Netty's epoll and io_uring natives; Java NIO would cost more CPU per request.
    assertThat(gateway.stderr().lines().filter(l -> l.contains("event loops: ")))
        .as(gateway.logs()).singleElement().asString().containsAnyOf(" on epoll (", " on io-uring (")
        // The operational log's format, set in code (cli/OperationalLog), not by a logback.xml.
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] io\\.edgeway\\.cli\\.Main - .*");
  }

  @Test
  @Order(2)
  void theAccessLogLineHasItsTimestampAndRequestFields() throws Exception {
    ShippedJar.get(base + "/demo/logged?page=2");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    JsonObject line = null;
    while (line == null && System.nanoTime() < end) {
      line = gateway.stdout().lines().filter(l -> l.contains("/demo/logged")).findFirst().map(JsonObject::new)
          .orElse(null);
      Thread.sleep(50);
    }
    assertThat(line).as("access log line on stdout\n" + gateway.logs()).isNotNull();
    assertThat(line.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(line.getString("route")).isEqualTo("demo");
    assertThat(line.getString("query")).isEqualTo("page=2");
    assertThat(line.getInteger("status")).isEqualTo(200);
  }

  @Test
  @Order(3)
  void everyDocumentedAdminEndpointAnswersJsonInTime() throws Exception {
    for (Map.Entry<String, String> endpoint : ADMIN_ENDPOINTS.entrySet()) {
      String method = endpoint.getKey().substring(0, endpoint.getKey().indexOf(' '));
      HttpResponse<String> response = ShippedJar.send(method, admin + endpoint.getValue(), Map.of());
      assertThat(response.statusCode()).as(endpoint.getKey() + ": " + response.body() + "\n" + gateway.logs())
          .isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).as(endpoint.getKey()).hasValue("application/json");
      assertThat(new JsonObject(response.body())).as(endpoint.getKey()).isNotNull();
    }
    for (Map.Entry<String, String> endpoint : NON_JSON_ENDPOINTS.entrySet()) {
      HttpResponse<String> response = ShippedJar.get(admin + endpoint.getKey().substring("GET ".length()));
      assertThat(response.statusCode()).as(endpoint.getKey() + "\n" + gateway.logs()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).as(endpoint.getKey()).hasValue(endpoint.getValue());
    }
    // The demo request of the earlier test, counted under its route id (the jar's own Micrometer).
    assertThat(ShippedJar.get(admin + "/metrics").body())
        .contains("edgeway_requests_total{method=\"GET\",route=\"demo\",status_class=\"2xx\"}")
        .contains("jvm_memory_used_bytes");
    assertThat(ShippedJar.get(admin + "/").body()).contains("<script src=\"/dashboard.js\">");
    HttpResponse<String> unknown = ShippedJar.get(admin + "/no-such-endpoint");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  @Order(4)
  void sighupReloadsTheChangedConfigurationAndTheGatewayKeepsServing() throws Exception {
    Path config = dir.resolve("config/edgeway.yaml");
    String shipped = Files.readString(config);
    assertThat(shipped).contains("\nroutes:\n");
    Files.writeString(config, shipped.replace("\nroutes:\n", """

        routes:
          - id: smoke-added
            match: { path: /added/** }
            strip-prefix: 1
            upstream: { targets: [ { url: "http://127.0.0.1:${EDGEWAY_DEMO_PORT:-9080}" } ] }
        """));
    assertThat(ShippedJar.get(base + "/added/x").statusCode()).as("not before the reload").isEqualTo(404);

    gateway.signal("HUP");

    assertThat(gateway.awaitStderr(l -> l.contains("configuration reloaded (SIGHUP)"), Duration.ofSeconds(20)))
        .as("the reload log line\n" + gateway.logs()).isTrue();
    assertThat(gateway.process().isAlive()).as(gateway.logs()).isTrue();
    JsonObject status = new JsonObject(ShippedJar.get(admin + "/config").body());
    assertThat(status.getJsonObject("lastReload").getString("trigger")).isEqualTo("SIGHUP");
    assertThat(status.getJsonObject("lastReload").getString("outcome")).isEqualTo("applied");
    assertThat(status.getJsonObject("running").getInteger("routes")).isEqualTo(2);
    assertThat(ShippedJar.get(base + "/added/x").statusCode()).as(gateway.logs()).isEqualTo(200);
    assertThat(ShippedJar.get(admin + "/ready").statusCode()).isEqualTo(200);
    assertThat(ShippedJar.get(base + "/demo/after-hup").statusCode()).isEqualTo(200);
    // The other tests (--check) read the shipped file again; the running gateway keeps the reloaded one.
    Files.writeString(config, shipped);
  }

  @Test
  @Order(5)
  void sigtermDrainsAndExitsZeroWithinTheGracePeriod() throws Exception {
    gateway.process().destroy(); // SIGTERM on Linux, as `docker stop` and Kubernetes send it
    // The shipped drain delay (5 s), then nothing is in flight; the shipped grace (30 s) is the upper bound.
    assertThat(gateway.process().waitFor(45, TimeUnit.SECONDS)).as("exited\n" + gateway.logs()).isTrue();
    assertThat(gateway.process().exitValue()).as(gateway.logs()).isZero();
    assertThat(gateway.stderr()).contains("shutting down").contains("drain delay (PT5S)");
  }

  @Test
  void checkAcceptsTheShippedConfigurations() throws Exception {
    ShippedJar.Finished demo = ShippedJar.run(dir, "--check", "--config", "config/edgeway.yaml");
    assertThat(demo.exitCode()).as(demo.stderr()).isZero();
    assertThat(demo.stdout()).contains("config/edgeway.yaml: configuration OK");
    ShippedJar.Finished container = ShippedJar.run(dir, "--check", "--config", "config/container.yaml");
    assertThat(container.exitCode()).as(container.stderr()).isZero();
    assertThat(container.stdout()).contains("config/container.yaml: configuration OK");
  }

  @Test
  void checkRejectsAnInvalidConfigurationWithExitCodeTwoAndCompilerStyleLines() throws Exception {
    Files.writeString(dir.resolve("bad.yaml"), """
        server:
          port: eighty
        routes: []
        """, StandardCharsets.UTF_8);
    ShippedJar.Finished bad = ShippedJar.run(dir, "--check", "--config", "bad.yaml");
    assertThat(bad.exitCode()).as(bad.stdout() + bad.stderr()).isEqualTo(2);
    assertThat(bad.stderr().lines()).anyMatch(l -> l.matches("bad\\.yaml:2:\\d+: server\\.port: .*"));
  }

  /**
   * The list above is docs/admin.md's table: a new endpoint documented (or not) fails here until
   * both agree. Every other mention of an endpoint (README, the other docs) must be one of them.
   */
  @Test
  void theEndpointListIsTheOneDocsAdminDocuments() throws Exception {
    String admin = Files.readString(REPO.resolve("docs/admin.md"), StandardCharsets.UTF_8);
    int start = admin.indexOf("## Endpoints");
    assertThat(start).as("docs/admin.md has an Endpoints section").isPositive();
    int end = admin.indexOf("\n\n", admin.indexOf("| endpoint |", start));
    Set<String> documented = endpoints(admin.substring(start, end));
    Set<String> all = new TreeSet<>(ADMIN_ENDPOINTS.keySet());
    all.addAll(NON_JSON_ENDPOINTS.keySet());
    assertThat(documented).containsExactlyInAnyOrderElementsOf(all);
    Set<String> mentioned = new TreeSet<>(endpoints(Files.readString(REPO.resolve("README.md"), StandardCharsets.UTF_8)));
    try (Stream<Path> docs = Files.list(REPO.resolve("docs"))) {
      for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).toList()) {
        mentioned.addAll(endpoints(Files.readString(doc, StandardCharsets.UTF_8)));
      }
    }
    assertThat(all).containsAll(mentioned);
  }

  /**
   * Off loopback the admin API needs a token: the container config with the admin host opened
   * and no token is refused with its position; with a token it is valid.
   */
  @Test
  void checkRefusesAnAdminOffLoopbackWithoutAToken() throws Exception {
    ShippedJar.Finished open = ShippedJar.run(dir, Map.of("EDGEWAY_ADMIN_HOST", "0.0.0.0", "EDGEWAY_ADMIN_TOKEN", ""),
        "--check", "--config", "config/container.yaml");
    assertThat(open.exitCode()).as(open.stdout() + open.stderr()).isEqualTo(2);
    assertThat(open.stderr().lines())
        .anyMatch(l -> l.matches("config/container\\.yaml:\\d+:\\d+: admin\\.host: 0\\.0\\.0\\.0 \\(expected: .*token.*"));
    ShippedJar.Finished withToken = ShippedJar.run(dir, Map.of("EDGEWAY_ADMIN_HOST", "0.0.0.0",
        "EDGEWAY_ADMIN_TOKEN", "smoke-admin-token-0123456789abcdef"), "--check", "--config", "config/container.yaml");
    assertThat(withToken.exitCode()).as(withToken.stderr()).isZero();
    assertThat(withToken.stdout() + withToken.stderr()).doesNotContain("smoke-admin-token");
  }

  /** {@code `GET /path`} and {@code `POST /path?...`} mentions in Markdown, without the query. */
  private static Set<String> endpoints(String markdown) {
    Set<String> found = new TreeSet<>();
    Matcher m = Pattern.compile("`(GET|POST|PUT|DELETE) (/[A-Za-z0-9/._-]*)[^`]*`").matcher(markdown);
    while (m.find()) {
      found.add(m.group(1) + " " + m.group(2));
    }
    return found;
  }
}
