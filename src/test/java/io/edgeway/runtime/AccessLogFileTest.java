package io.edgeway.runtime;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code access-log.output: file} through a running gateway: fields, sampling, the drain at stop. */
class AccessLogFileTest {
  @TempDir Path dir;
  private Vertx vertx;
  private TestUpstream upstream;

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

  private static int get(Vertx vertx, HttpClient client, String uri) throws Exception {
    return OnContext.await(vertx, () -> client.request(HttpMethod.GET, uri)
        .compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode())), 20);
  }

  @Test
  void linesGoToTheFileWithTheChosenFieldsAndSampledSuccesses() throws Exception {
    Path file = dir.resolve("logs/access.log");
    TestGateway gateway = TestGateway.start(vertx, """
        access-log:
          output: file
          file: { path: %s, max-size: 1MiB, daily: false, max-history: 3 }
          fields: [status, route, error, traceId]
          sample-2xx: 0
        routes:
          - id: app
            match: { path: /app/** }
            upstream: { targets: [ { url: %s } ] }
        """.formatted(file, upstream.url()));
    HttpClient client = gateway.client(vertx);
    try {
      assertThat(get(vertx, client, "/app/ok")).isEqualTo(200);
      assertThat(get(vertx, client, "/nowhere")).isEqualTo(404);
    } finally {
      gateway.close(); // drains the asynchronous appender into the file
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1);
    JsonObject line = new JsonObject(lines.get(0));
    assertThat(line.fieldNames()).containsExactly("traceId", "route", "status", "error");
    assertThat(line.getInteger("status")).isEqualTo(404);
    assertThat(line.getString("error")).isEqualTo("no_route");
    assertThat(line.getString("traceId")).matches("[0-9a-f]{32}");
  }

  @Test
  void anAccessLogThatIsOffWritesNothing() throws Exception {
    Path file = dir.resolve("access.log");
    TestGateway gateway = TestGateway.start(vertx, """
        access-log: { enabled: false, output: file, file: { path: %s } }
        """.formatted(file));
    try {
      assertThat(get(vertx, gateway.client(vertx), "/nowhere")).isEqualTo(404);
    } finally {
      gateway.close();
    }
    assertThat(file).doesNotExist();
  }
}
