package io.edgeway.exchange;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.config.ConfigLoader;
import io.edgeway.events.EventsCommand;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.runtime.Gateway;
import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;
import io.edgeway.testing.AccessLogLines;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A filter that answers with {@code exchange.problem(...)} (jwt 401, rate-limit 429, a plugin's
 * own 403) gets its code recorded in the access log and the request event, as a failed future
 * with a GatewayException always did.
 */
class ProblemCodeEndToEndTest {
  @TempDir
  Path dir;
  private Vertx vertx;
  private TestUpstream upstream;

  /** A third-party filter that refuses everything with its own code. */
  static final class DenyFilterFactory implements GatewayFilterFactory<DenyFilterFactory.Config> {
    record Config(String reason) {}

    @Override
    public String name() {
      return "deny";
    }

    @Override
    public Stage stage() {
      return Stage.TRANSFORM;
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public GatewayFilter create(Config config, FilterContext context) {
      return (exchange, chain) -> io.vertx.core.Future.succeededFuture(
          exchange.problem(403, "plugin_denied", "Denied: " + config.reason()));
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private int get(HttpClient client, int port, String uri) throws Exception {
    return OnContext.await(vertx, () -> client.request(HttpMethod.GET, port, "127.0.0.1", uri)
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode()))), 10);
  }

  @Test
  void jwtRateLimitAndPluginProblemsRecordTheirCode() throws Exception {
    String yaml = """
        server: { host: 127.0.0.1, port: 0, instances: 1 }
        admin: { enabled: false }
        access-log: { output: file, file: { path: "%s" } }
        events:
          journal: { dir: "%s" }
        jwt-providers:
          p: { issuer: test, algorithms: [HS256], secret: "0123456789abcdef0123456789abcdef" }
        routes:
          - id: secured
            match: { path: /secured/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - jwt: { providers: [p] }
          - id: limited
            match: { path: /limited/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - rate-limit: { key: route, limits: [ { capacity: 1, period: 1h } ] }
          - id: denied
            match: { path: /denied/** }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - deny: { reason: test }
        """.formatted(dir.resolve("access.log"), dir.resolve("journal"), upstream.url(), upstream.url(), upstream.url());
    List<GatewayFilterFactory<?>> factories = new ArrayList<>();
    ServiceLoader.load(GatewayFilterFactory.class).forEach(factories::add);
    factories.add(new DenyFilterFactory());
    HttpClient client = vertx.createHttpClient();
    Gateway gateway = Gateway.start(vertx, ConfigLoader.load("test.yaml", yaml), "test.yaml",
        FilterRegistry.of(factories), Gateway.discoverModules(getClass().getClassLoader()))
        .await(20, TimeUnit.SECONDS);
    try {
      assertThat(get(client, gateway.port(), "/secured/x")).isEqualTo(401);
      assertThat(get(client, gateway.port(), "/limited/x")).isEqualTo(200);
      assertThat(get(client, gateway.port(), "/limited/x")).isEqualTo(429);
      assertThat(get(client, gateway.port(), "/denied/x")).isEqualTo(403);
    } finally {
      gateway.stop(Duration.ofSeconds(1)).await(10, TimeUnit.SECONDS);
    }
    // Stopping the gateway wrote every queued line.
    Map<String, String> logged = AccessLogLines.await(dir.resolve("access.log"), 4, 0).stream()
        .filter(line -> line.getInteger("status") != 200)
        .collect(Collectors.toMap(line -> line.getString("route"), line -> String.valueOf(line.getString("error"))));
    assertThat(logged).containsExactlyInAnyOrderEntriesOf(
        Map.of("secured", "missing_token", "limited", "rate_limited", "denied", "plugin_denied"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(EventsCommand.run(new String[] {"tail", "--dir", dir.resolve("journal").toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err)).isZero();
    Map<String, String> published = out.toString(StandardCharsets.UTF_8).lines()
        .map(JsonObject::new)
        .filter(e -> e.getString("type").equals("io.edgeway.request.completed.v1"))
        .map(e -> e.getJsonObject("data"))
        .filter(data -> data.getInteger("status") != 200)
        .collect(Collectors.toMap(data -> data.getString("route"), data -> String.valueOf(data.getString("errorCode"))));
    assertThat(published).containsExactlyInAnyOrderEntriesOf(
        Map.of("secured", "missing_token", "limited", "rate_limited", "denied", "plugin_denied"));
  }
}
