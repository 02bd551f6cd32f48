package io.edgeway.admin;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.config.AdminConfig;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin token end to end: a gateway with {@code admin.token} answers its probes to anyone and
 * everything else only to a caller with the bearer token. (The gateway binds loopback, as every
 * test does; a token applies on any address once set, and off loopback config validation makes it
 * mandatory: see the invalid fixtures {@code admin-off-loopback-without-token} and
 * {@code admin-short-token}.)
 */
class AdminSecurityTest {
  private static final String TOKEN = "s3cret-admin-token-0123456789abcdef";

  private static Vertx vertx;
  private static HttpClient client;
  private static TestGateway gateway;

  private record Reply(int status, String contentType, String wwwAuthenticate, Buffer body) {}

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    client = vertx.createHttpClient();
    gateway = TestGateway.start(vertx, """
        server: { host: 127.0.0.1, port: 0, instances: 1 }
        admin: { host: 127.0.0.1, port: 0, token: "%s" }
        routes: []
        """.formatted(TOKEN));
    // The first request through a fresh client and server loads their classes (and the address
    // resolver) on an event loop; on a busy machine that alone can trip the blocked-thread check,
    // so it happens here, before the tests that watch for blocked threads.
    call(HttpMethod.GET, "/health", null);
    call(HttpMethod.GET, "/routes", null);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static Reply call(HttpMethod method, String path, String authorization) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(gateway.adminPort())
        .setURI(path);
    if (authorization != null) {
      options.putHeader("Authorization", authorization);
    }
    return OnContext.await(vertx, () -> client.request(options).compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.getHeader("Content-Type"),
            resp.getHeader("WWW-Authenticate"), b))), 5);
  }

  @Test
  void theProbesAnswerWithoutTheToken() throws Exception {
    assertThat(call(HttpMethod.GET, "/health", null).status()).isEqualTo(200);
    Reply ready = call(HttpMethod.GET, "/ready", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body().toJsonObject().getBoolean("ready")).isTrue();
  }

  @Test
  void everyOtherEndpointWithoutTheTokenIs401MissingToken() throws Exception {
    for (String path : List.of("/routes", "/upstreams", "/ratelimit", "/circuit-breakers", "/no-such-endpoint")) {
      Reply reply = call(HttpMethod.GET, path, null);
      assertThat(reply.status()).as(path).isEqualTo(401);
      assertThat(reply.contentType()).as(path).isEqualTo("application/problem+json");
      assertThat(reply.wwwAuthenticate()).as(path).isEqualTo("Bearer realm=\"edgeway-admin\"");
      assertThat(reply.body().toJsonObject().getString("code")).as(path).isEqualTo("missing_token");
    }
    Reply purge = call(HttpMethod.POST, "/cache/purge?all=true", null);
    assertThat(purge.status()).isEqualTo(401);
  }

  @Test
  void aWrongTokenOrSchemeIs401InvalidTokenAndTheTokenIsNeverEchoed() throws Exception {
    for (String authorization : List.of("Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1), "Basic " + TOKEN,
        "Bearer", TOKEN)) {
      Reply reply = call(HttpMethod.GET, "/routes", authorization);
      assertThat(reply.status()).as(authorization).isEqualTo(401);
      assertThat(reply.wwwAuthenticate()).as(authorization)
          .isEqualTo("Bearer realm=\"edgeway-admin\", error=\"invalid_token\"");
      JsonObject problem = reply.body().toJsonObject();
      assertThat(problem.getString("code")).isEqualTo("invalid_token");
      assertThat(reply.body().toString()).doesNotContain(TOKEN.substring(4));
    }
  }

  @Test
  void theRightTokenOpensEveryEndpointWithAnyCaseOfTheScheme() throws Exception {
    Reply routes = call(HttpMethod.GET, "/routes", "Bearer " + TOKEN);
    assertThat(routes.status()).isEqualTo(200);
    assertThat(routes.body().toJsonObject().getJsonArray("routes")).isEmpty();
    assertThat(call(HttpMethod.GET, "/circuit-breakers", "bearer " + TOKEN).status()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/no-such-endpoint", "Bearer " + TOKEN).status()).isEqualTo(404);
  }

  @Test
  void offLoopbackAnAdminWithoutATokenIsAConfigErrorAtTheHost() {
    assertThatThrownBy(() -> new AdminConfig("0.0.0.0", 9901, true, null))
        .hasMessageStartingWith("host: 0.0.0.0 (expected: a loopback address");
    assertThatThrownBy(() -> new AdminConfig("admin.internal", 9901, true, ""))
        .as("an empty token, as ${EDGEWAY_ADMIN_TOKEN:-} gives, is no token").hasMessageStartingWith("host: ");
    assertThat(new AdminConfig("0.0.0.0", 9901, false, null).enabled()).as("disabled: nothing is exposed").isFalse();
    assertThat(new AdminConfig("::", 9901, true, TOKEN).requiresToken()).isTrue();
    for (String loopback : List.of("127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1", "[::1]", "localhost")) {
      assertThat(AdminConfig.isLoopback(loopback)).as(loopback).isTrue();
    }
    for (String other : List.of("0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "::2", "localhost.example.com")) {
      assertThat(AdminConfig.isLoopback(other)).as(other).isFalse();
    }
    assertThat(new AdminConfig(null, null, null, TOKEN).toString()).doesNotContain(TOKEN).contains("(hidden)");
  }
}
