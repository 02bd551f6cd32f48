package io.edgeway.ratelimit;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node-scope limits through a running gateway and a real upstream on loopback. */
class RateLimitEndToEndTest {
  private Vertx vertx;
  private TestUpstream upstream;
  private TestGateway gateway;
  private GatewayClient client;
  private GatewayClient admin;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
    vertx.close().await();
  }

  private void start(String yaml) throws Exception {
    gateway = TestGateway.start(vertx, yaml);
    client = new GatewayClient(vertx, gateway.port());
    admin = new GatewayClient(vertx, gateway.adminPort());
  }

  @Test
  void limitsPerClientWithHeadersAnd429ProblemWithoutUpstreamCall() throws Exception {
    start("""
        routes:
          - id: search
            match: { path: /search/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - rate-limit:
                  key: ip
                  limits:
                    - { capacity: 3, period: 1h }
        """.formatted(upstream.url()));
    for (int i = 2; i >= 0; i--) {
      GatewayClient.Reply ok = client.get("/search/q");
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.headers().get("RateLimit-Policy")).isEqualTo("\"default\";q=3;w=3600");
      assertThat(ok.headers().get("RateLimit")).startsWith("\"default\";r=" + i + ";t=");
      assertThat(ok.headers().get("X-RateLimit-Limit")).isEqualTo("3");
      assertThat(ok.headers().get("X-RateLimit-Remaining")).isEqualTo(Integer.toString(i));
    }
    GatewayClient.Reply limited = client.get("/search/q");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(limited.json().getString("code")).isEqualTo("rate_limited");
    assertThat(limited.json().getString("route")).isEqualTo("search");
    // 1 token of 3 per hour: 1200 s.
    assertThat(limited.headers().get("Retry-After")).isEqualTo("1200");
    assertThat(limited.headers().get("RateLimit")).isEqualTo("\"default\";r=0;t=3600");
    assertThat(upstream.count()).isEqualTo(3);

    assertThat(admin.get("/ratelimit").json().getJsonObject("decisions").getLong("rejected")).isEqualTo(1);
  }

  @Test
  void rotatingSpoofedForwardedForFromAnUntrustedPeerDoesNotCreateBuckets() throws Exception {
    start("""
        routes:
          - id: search
            match: { path: /search/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - rate-limit: { limits: [ { capacity: 2, period: 1h } ] }
        """.formatted(upstream.url()));
    int ok = 0;
    for (int i = 0; i < 10; i++) {
      GatewayClient.Reply reply = client.get("/search/x", "X-Forwarded-For", "6.6.6." + i, "X-Real-IP", "7.7.7." + i,
          "Forwarded", "for=8.8.8." + i);
      if (reply.status() == 200) {
        ok++;
      } else {
        assertThat(reply.status()).isEqualTo(429);
      }
    }
    assertThat(ok).isEqualTo(2);
    assertThat(admin.get("/ratelimit").json().getLong("nodeBuckets")).isEqualTo(1);
  }

  @Test
  void pathVariantsShareTheRouteBucket() throws Exception {
    start("""
        routes:
          - id: users
            match: { path: /api/users/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - rate-limit: { limits: [ { capacity: 2, period: 1h } ] }
        """.formatted(upstream.url()));
    assertThat(client.get("/api/users/1").status()).isEqualTo(200);
    assertThat(client.get("/api//users/./1?x=2").status()).isEqualTo(200);
    assertThat(client.get("/api/%75sers/1").status()).isEqualTo(429);
  }

  @Test
  void floodOfDistinctKeysStaysWithinMaxBuckets() throws Exception {
    start("""
        routes:
          - id: keyed
            match: { path: /k/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - rate-limit:
                  key: header:X-Api-Key
                  max-buckets: 10
                  limits: [ { capacity: 5, period: 1m } ]
        """.formatted(upstream.url()));
    for (int i = 0; i < 60; i++) {
      assertThat(client.get("/k/x", "X-Api-Key", "key-" + i).status()).isEqualTo(200);
    }
    assertThat(admin.get("/ratelimit").json().getLong("nodeBuckets")).isBetween(1L, 10L);
    GatewayClient.Reply missing = client.get("/k/x");
    assertThat(missing.status()).isEqualTo(403);
    assertThat(missing.json().getString("code")).isEqualTo("rate_limit_key_missing");
  }

  @Test
  void groupSharesBucketsAcrossRoutes() throws Exception {
    start("""
        routes:
          - id: a
            match: { path: /a/** }
            upstream: { targets: [ { url: %1$s } ] }
            filters:
              - rate-limit: { group: public-api, limits: [ { capacity: 2, period: 1h } ] }
          - id: b
            match: { path: /b/** }
            upstream: { targets: [ { url: %1$s } ] }
            filters:
              - rate-limit: { group: public-api, limits: [ { capacity: 2, period: 1h } ] }
        """.formatted(upstream.url()));
    assertThat(client.get("/a/1").status()).isEqualTo(200);
    assertThat(client.get("/b/1").status()).isEqualTo(200);
    assertThat(client.get("/a/1").status()).isEqualTo(429);
    assertThat(client.get("/b/1").status()).isEqualTo(429);
  }

  @Test
  void clusterScopeWithoutAStoreIsAConfigError() {
    assertThatThrownBy(() -> start("""
        routes:
          - id: a
            match: { path: /a/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - rate-limit: { scope: cluster, limits: [ { capacity: 2, period: 1h } ] }
        """.formatted(upstream.url())))
        .hasMessageContaining("scope: cluster (expected: a top-level rate-limit-store");
  }
}
