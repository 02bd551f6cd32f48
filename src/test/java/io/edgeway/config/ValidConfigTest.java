package io.edgeway.config;

import io.edgeway.http.Cidr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgeway.spi.DataSize;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidConfigTest {

  private static final Map<String, String> ENVIRONMENT = Map.of("UPSTREAM_URL", "http://127.0.0.1:9001");

  private static Path fixture(String name) {
    try {
      return Path.of(ValidConfigTest.class.getResource("/config/valid/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static LoadedConfig load(String name, Map<String, String> environment) throws Exception {
    return ConfigLoader.load(fixture(name), environment::get);
  }

  @Test
  void fullExampleBindsEveryValue() throws Exception {
    LoadedConfig loaded = load("full.yaml", ENVIRONMENT);
    GatewayConfig config = loaded.config();

    ServerConfig server = config.server();
    assertThat(server.host()).isEqualTo("0.0.0.0");
    assertThat(server.port()).isEqualTo(8080);
    assertThat(server.instances()).isEqualTo(2);
    assertThat(server.trustedProxies()).containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("127.0.0.1/32"));
    assertThat(server.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    LimitsConfig limits = server.limits();
    assertThat(limits.maxRequestLine()).isEqualTo(DataSize.ofBytes(8 * 1024));
    assertThat(limits.maxHeaderSize()).isEqualTo(DataSize.ofBytes(32 * 1024));
    assertThat(limits.maxHeaderCount()).isEqualTo(100);
    assertThat(limits.maxBodySize()).isEqualTo(DataSize.ofBytes(1024 * 1024));
    assertThat(limits.headerReadTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(limits.bodyIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(limits.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(limits.maxConnections()).isEqualTo(10_000);
    assertThat(config.admin()).isEqualTo(new AdminConfig("127.0.0.1", 9901, true, null));
    assertThat(config.demoUpstream()).isEqualTo(new DemoUpstreamConfig(false, "127.0.0.1", 9080));

    assertThat(config.routes()).extracting(RouteConfig::id).containsExactly("users", "orders.v2");
    RouteConfig users = config.routes().get(0);
    assertThat(users.match().path()).isEqualTo("/api/users/**");
    assertThat(users.match().methods()).containsExactly("GET", "POST");
    assertThat(users.match().host()).isEqualTo("*.example.com");
    assertThat(users.match().headers()).containsExactly(Map.entry("X-Version", "2"));
    assertThat(users.stripPrefix()).isEqualTo(1);
    assertThat(users.rewrite()).isNull();
    assertThat(users.maxBodySize()).isEqualTo(DataSize.parse("10MiB"));
    assertThat(users.effectiveMaxBodySize(limits)).isEqualTo(DataSize.parse("10MiB"));
    assertThat(users.websocket()).isFalse();
    assertThat(users.preserveHost()).isFalse();
    UpstreamConfig upstream = users.upstream();
    assertThat(upstream.targets()).containsExactly(
        new TargetConfig(new UpstreamUrl("http", "127.0.0.1", 9001), 1),
        new TargetConfig(new UpstreamUrl("http", "127.0.0.1", 9002), 2));
    assertThat(upstream.loadBalancing()).isEqualTo(LoadBalancing.ROUND_ROBIN);
    assertThat(upstream.hashOn()).isNull();
    assertThat(upstream.timeouts()).isEqualTo(new TimeoutsConfig(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60)));
    assertThat(upstream.pool()).isEqualTo(new PoolConfig(64, 256));
    assertThat(users.filters()).extracting(FilterSpec::name).containsExactly("request-headers", "response-headers");
    assertThat(users.filters().get(0).settings())
        .isEqualTo(Map.of("set", Map.of("X-From-Gateway", "1"), "remove", List.of("X-Debug")));
    ConfigNode yaml = loaded.filterConfig(0, 0);
    assertThat(yaml.path()).isEqualTo("routes[0].filters[0].request-headers");
    assertThat(yaml.position()).isEqualTo(new ConfigPosition(fixture("full.yaml").toString(), 37, 27));

    RouteConfig orders = config.routes().get(1);
    assertThat(orders.rewrite()).isEqualTo("/v2/orders/{id}");
    assertThat(orders.stripPrefix()).isNull();
    assertThat(orders.match().methods()).isEmpty();
    assertThat(orders.match().headers()).isEmpty();
    assertThat(orders.effectiveMaxBodySize(limits)).isEqualTo(DataSize.parse("1MiB"));
    UpstreamUrl url = orders.upstream().targets().get(0).url();
    assertThat(url).isEqualTo(new UpstreamUrl("https", "::1", 443));
    assertThat(url.tls()).isTrue();
    assertThat(url.authority()).isEqualTo("[::1]");
    assertThat(orders.upstream().loadBalancing()).isEqualTo(LoadBalancing.CONSISTENT_HASH);
    assertThat(orders.upstream().hashOn()).isEqualTo(new HashOn(HashOn.Kind.HEADER, "X-User"));
    assertThat(orders.upstream().timeouts()).isEqualTo(TimeoutsConfig.defaults());
    assertThat(orders.filters()).extracting(FilterSpec::name).containsExactly("response-headers", "request-headers");
    assertThat(orders.filters()).extracting(FilterSpec::settings).containsExactly(null, Map.of());
    assertThat(List.of(loaded.filterConfig(1, 0), loaded.filterConfig(1, 1))).allSatisfy(f -> assertThat(f.isEmpty()).isTrue());
  }

  @Test
  void locationsPointAtEveryKeyPath() throws Exception {
    LoadedConfig loaded = load("full.yaml", ENVIRONMENT);
    String source = fixture("full.yaml").toString();
    assertThat(loaded.locations().find("routes[1].match.path")).contains(new ConfigPosition(source, 40, 20));
    assertThat(loaded.locations().find("routes[0].upstream.targets[1].weight")).contains(new ConfigPosition(source, 32, 49));
    assertThat(loaded.locations().find("routes[0].match.headers.X-Version")).contains(new ConfigPosition(source, 24, 29));
    // A defaulted key has no position of its own: it is reported where its parent is written.
    assertThat(loaded.locations().find("routes[1].upstream.timeouts")).isEmpty();
    assertThat(loaded.locations().nearest("routes[1].upstream.timeouts.connect"))
        .isEqualTo(loaded.locations().find("routes[1].upstream").orElseThrow());
  }

  @Test
  void laterStagesReportAtAKeyPath() throws Exception {
    LoadedConfig loaded = load("full.yaml", ENVIRONMENT);
    ConfigErrors errors = loaded.newErrors();
    errors.addAt("routes[1].match.path", "/orders/{id} (expected: a path no other route has; conflicts with route 'users')");
    errors.add(loaded.filterConfig(0, 1), "unknown filter (expected: one of cors)");

    ConfigException e = catchThrowableOfType(ConfigException.class, errors::throwIfAny);

    String source = fixture("full.yaml").toString();
    assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
        source + ":38:27: routes[0].filters[1].response-headers: unknown filter (expected: one of cors)",
        source + ":40:20: routes[1].match.path: /orders/{id} (expected: a path no other route has; conflicts with route 'users')");
  }

  @Test
  void emptyFileIsAllDefaultsWithNoRoutes(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.yaml"), "# nothing yet\n");
    GatewayConfig config = ConfigLoader.load(empty, name -> null).config();
    assertThat(config.routes()).isEmpty();
    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.server().host()).isEqualTo("0.0.0.0");
    assertThat(config.server().instances()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.server().trustedProxies()).isEmpty();
    assertThat(config.server().limits()).isEqualTo(LimitsConfig.defaults());
    assertThat(config.admin()).isEqualTo(new AdminConfig("127.0.0.1", 9901, true, null));
    assertThat(config.demoUpstream().enabled()).isFalse();
    assertThat(config).isEqualTo(GatewayConfig.defaults());
  }

  @Test
  void defaultsOfARouteWithOnlyRequiredKeys() throws Exception {
    RouteConfig route = load("minimal.yaml", ENVIRONMENT).config().routes().get(0);
    assertThat(route.websocket()).isFalse();
    assertThat(route.preserveHost()).isFalse();
    assertThat(route.filters()).isEmpty();
    assertThat(route.maxBodySize()).isNull();
    assertThat(route.upstream().loadBalancing()).isEqualTo(LoadBalancing.ROUND_ROBIN);
    assertThat(route.upstream().timeouts())
        .isEqualTo(new TimeoutsConfig(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(60)));
    assertThat(route.upstream().pool()).isEqualTo(new PoolConfig(64, 256));
    assertThat(route.upstream().targets().get(0).weight()).isEqualTo(1);
  }

  @Test
  void environmentSubstitutionWithDefaultsAndEscapes() throws Exception {
    GatewayConfig withDefaults = load("env.yaml", ENVIRONMENT).config();
    assertThat(withDefaults.server().port()).isEqualTo(8080);
    assertThat(withDefaults.admin().port()).isEqualTo(9901);
    assertThat(withDefaults.routes().get(0).upstream().targets().get(0).url().port()).isEqualTo(9001);
    ConfigNode headers = load("env.yaml", ENVIRONMENT).filterConfig(0, 0);
    record RequestHeaders(Map<String, String> set) {}
    RequestHeaders bound = Binder.bind(headers, RequestHeaders.class, new ConfigErrors(ConfigLocations.empty("x")));
    assertThat(bound.set()).containsExactly(Map.entry("X-Literal", "${NOT_A_VAR}"), Map.entry("X-Mixed", "a--b"));

    GatewayConfig fromEnvironment = load("env.yaml", Map.of(
        "UPSTREAM_URL", "http://10.1.2.3:7000", "EDGEWAY_PORT", "18080", "EDGEWAY_ADMIN_PORT", "19901")).config();
    assertThat(fromEnvironment.server().port()).isEqualTo(18080);
    assertThat(fromEnvironment.admin().port()).isEqualTo(19901);
    assertThat(fromEnvironment.routes().get(0).upstream().targets().get(0).url())
        .isEqualTo(new UpstreamUrl("http", "10.1.2.3", 7000));
  }

  @Test
  void emptyPlainSubstitutionMeansAbsent() throws Exception {
    GatewayConfig config = ConfigLoader.load("t.yaml", "server:\n  port: ${PORT:-}\n", name -> null).config();
    assertThat(config.server().port()).isEqualTo(8080);
  }

  @Test
  void environmentValuesAreNotExpandedAgain() throws Exception {
    String yaml = "server: { host: \"${HOST}\" }";
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.load("t.yaml", yaml, Map.of("HOST", "${OTHER}")::get));
    assertThat(e.errors()).extracting(ConfigError::toString)
        .containsExactly("t.yaml:1:17: server.host: ${OTHER} (expected: an IP address such as 127.0.0.1 or ::1, or a host name such as api.internal)");
  }

  @Test
  void missingFileIsOneErrorWithoutPosition(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> ConfigLoader.load(missing, name -> null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(missing + ": cannot read the file: java.nio.file.NoSuchFileException");
  }

  @Test
  void invalidUtf8IsRejected(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("bad.yaml"), new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28});
    assertThatThrownBy(() -> ConfigLoader.load(file, name -> null))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ": invalid UTF-8 (expected: a UTF-8 text file)");
  }

  @Test
  void oversizedDocumentIsRejectedBeforeParsing() {
    String huge = "# " + "x".repeat(ConfigLoader.MAX_DOCUMENT_CHARS);
    assertThatThrownBy(() -> ConfigLoader.load("big.yaml", huge, name -> null))
        .isInstanceOf(ConfigException.class)
        .hasMessage("big.yaml: document larger than 10485760 characters (expected: a smaller config file)");
  }

  @Test
  void deepNestingIsRejectedWithoutOverflowingTheStack() {
    String deep = "a: " + "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> ConfigLoader.load("deep.yaml", deep, name -> null))
        .isInstanceOf(ConfigException.class)
        .hasMessage("deep.yaml:1:67: nesting deeper than 64 levels (expected: a flatter document)");
  }

  @Test
  void recursiveAliasIsAnError() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.load("r.yaml", "server: &s { limits: *s }", name -> null));
    assertThat(e.errors()).extracting(ConfigError::toString)
        .containsExactly("r.yaml:1:9: server.limits: recursive alias (expected: an alias to a node defined before it, outside itself)");
  }

  @Test
  void aliasesWithinTheLimitAreExpanded() throws Exception {
    String yaml = """
        x-common: &timeouts { connect: 1s }
        """;
    // The anchor itself sits under an unknown key, so use it from a valid place instead:
    String valid = """
        routes:
          - id: a
            match: { path: /a }
            upstream: { targets: [ { url: "http://127.0.0.1:1" } ], timeouts: &t { connect: 2s } }
          - id: b
            match: { path: /b }
            upstream: { targets: [ { url: "http://127.0.0.1:2" } ], timeouts: *t }
        """;
    List<RouteConfig> routes = ConfigLoader.load("a.yaml", valid, name -> null).config().routes();
    assertThat(routes).extracting(r -> r.upstream().timeouts().connect()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(yaml).isNotEmpty();
  }

  @Test
  void loadedConfigIsImmutable() throws Exception {
    GatewayConfig config = load("full.yaml", ENVIRONMENT).config();
    assertThatThrownBy(() -> config.routes().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.routes().get(0).match().headers().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.routes().get(0).match().methods().add("PUT")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.server().trustedProxies().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.routes().get(0).filters().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void adminPortMayNotEqualServerPort() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.load("p.yaml", "server: { port: 9901 }\n", name -> null));
    assertThat(e.errors()).extracting(ConfigError::toString)
        .containsExactly("p.yaml:1:17: server.port: 9901 (expected: a port other than admin.port, which defaults to it)");
    ConfigException written = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.load("p.yaml", "server: { port: 9000 }\nadmin: { port: 9000 }\n", name -> null));
    assertThat(written.errors()).extracting(ConfigError::toString)
        .containsExactly("p.yaml:2:16: admin.port: 9000 (expected: a port other than server.port)");
  }
}
