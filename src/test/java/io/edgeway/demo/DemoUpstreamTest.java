package io.edgeway.demo;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.OnContext;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DemoUpstreamTest {
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = TestVertx.create();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void theEchoNeverReflectsCredentials() throws Exception {
    DemoUpstream demo = new DemoUpstream(vertx);
    int port = demo.start("127.0.0.1", 0).await(5, TimeUnit.SECONDS);
    MultiMap sent = MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "Bearer secret-token")
        .add("Proxy-Authorization", "Basic c2VjcmV0")
        .add("Cookie", "session=secret")
        .add("X-Api-Key", "secret-key")
        .add("X-Trace", "kept");
    JsonObject echo = OnContext.await(vertx, () -> vertx.createHttpClient()
        .request(HttpMethod.GET, port, "127.0.0.1", "/hello?x=1")
        .compose(req -> {
          req.headers().addAll(sent);
          return req.send();
        })
        .compose(resp -> resp.body()).map(b -> b.toJsonObject()), 5);
    assertThat(echo.encode()).doesNotContain("secret");
    assertThat(echo.getJsonObject("headers").getString("X-Trace")).isEqualTo("kept");
    assertThat(echo.getJsonArray("droppedHeaders").getList())
        .containsExactlyInAnyOrder("Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key");
    assertThat(echo.getString("path")).isEqualTo("/hello");
    demo.stop().await(5, TimeUnit.SECONDS);
  }
}
