package io.edgeway.cli;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.config.ConfigLoader;
import io.edgeway.config.LoadedConfig;
import io.edgeway.runtime.Gateway;
import io.edgeway.testing.OnContext;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's first command: the shipped config/edgeway.yaml runs on a bare machine and
 * {@code /demo/hello} answers through the embedded demo upstream.
 */
class DefaultConfigTest {
  private record Reply(int status, String servedBy, Buffer body) {}

  private static Reply get(Vertx vertx, io.vertx.core.http.HttpClient client, int port, String uri)
      throws Exception {
    return OnContext.await(vertx, () -> client.request(HttpMethod.GET, port, "127.0.0.1", uri)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.getHeader("X-Served-By"), b))), 10);
  }

  @Test
  void shippedConfigurationServesTheDemoRoute() throws Exception {
    int demoPort;
    try (ServerSocket s = new ServerSocket(0)) {
      demoPort = s.getLocalPort();
    }
    Map<String, String> env = Map.of("EDGEWAY_HOST", "127.0.0.1", "EDGEWAY_PORT", "0", "EDGEWAY_ADMIN_PORT", "0",
        "EDGEWAY_DEMO_PORT", String.valueOf(demoPort));
    LoadedConfig loaded = ConfigLoader.load(Path.of("config/edgeway.yaml"), env::get);
    Vertx vertx = TestVertx.create();
    try {
      Gateway gateway = Gateway.start(vertx, loaded, "config/edgeway.yaml").await(20, TimeUnit.SECONDS);
      var client = vertx.createHttpClient();
      Reply response = get(vertx, client, gateway.port(), "/demo/hello");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.servedBy()).isEqualTo("edgeway");
      JsonObject echo = response.body().toJsonObject();
      assertThat(echo.getString("service")).isEqualTo("edgeway-demo-upstream");
      assertThat(echo.getString("path")).isEqualTo("/hello");

      assertThat(get(vertx, client, gateway.adminPort(), "/ready").status()).isEqualTo(200);
      JsonObject table = get(vertx, client, gateway.adminPort(), "/routes").body().toJsonObject();
      assertThat(table.getJsonArray("routes").getJsonObject(0).getString("id")).isEqualTo("demo");
      gateway.stop(Duration.ofSeconds(1)).await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
