package io.edgeway.auth;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Through a running gateway, with a real JWKS server and a real upstream on loopback. */
class JwtEndToEndTest {
  static final String CORP = "https://login.example.com/";

  private Vertx vertx;
  private TestUpstream upstream;
  private HttpServer jwksServer;
  private volatile String jwks;
  private volatile int jwksStatus = 200;
  private final AtomicInteger jwksHits = new AtomicInteger();
  private TestGateway gateway;
  private HttpClient client;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
    serveKeys(Tokens.RSA, Tokens.EC);
    startJwksServer();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (jwksServer != null) {
      jwksServer.close().await(10, TimeUnit.SECONDS);
    }
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void startJwksServer() throws Exception {
    jwksServer = vertx.createHttpServer().requestHandler(req -> {
      jwksHits.incrementAndGet();
      req.response().setStatusCode(jwksStatus).putHeader("Content-Type", "application/json").end(jwks);
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  private void serveKeys(JWK... keys) {
    List<JWK> pub = new ArrayList<>();
    for (JWK k : keys) {
      pub.add(k.toPublicJWK());
    }
    jwks = new JWKSet(pub).toString();
  }

  private void startGateway(String extra) throws Exception {
    gateway = TestGateway.start(vertx, """
        jwt-providers:
          corp:
            issuer: %s
            audiences: [orders-api]
            algorithms: [RS256, ES256]
            jwks-url: http://127.0.0.1:%d/.well-known/jwks.json
            jwks-fetch-timeout: 1s
            %s
          partner:
            issuer: partner
            algorithms: [HS256]
            secret: "%s"
        routes:
          - id: orders
            match: { path: /orders/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - jwt:
                  providers: [corp, partner]
                  required-claims: { scope: orders.read }
                  forward-claims: { sub: X-User-Id, email: X-User-Email }
                  strip-authorization: false
          - id: by-query
            match: { path: /q/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - jwt: { providers: [partner], from: { query: access_token }, strip-authorization: true }
          - id: keys
            match: { path: /keys/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - api-key: { keys: { mobile: "mobile-key-0123456789", web: "web-key-0123456789abc" }, consumer-header: X-Consumer }
        """.formatted(CORP, jwksServer.actualPort(), extra, Tokens.SECRET, upstream.url(), upstream.url(), upstream.url()));
    client = gateway.client(vertx);
  }

  private record Reply(int status, MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  private Reply get(String uri, String... headers) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI(uri);
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    return OnContext.await(vertx, () -> client.request(options).compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b))), 20);
  }

  private Reply bearer(String token, String... more) throws Exception {
    String[] headers = new String[more.length + 2];
    headers[0] = "Authorization";
    headers[1] = "Bearer " + token;
    System.arraycopy(more, 0, headers, 2, more.length);
    return get("/orders/1", headers);
  }

  private static JWTClaimsSet.Builder claims() {
    return Tokens.claims(CORP, "orders-api", System.currentTimeMillis()).jwtID(UUID.randomUUID().toString());
  }

  private static String rs256(JWTClaimsSet.Builder claims) {
    return Tokens.sign(Tokens.RSA, JWSAlgorithm.RS256, claims.build());
  }

  @Test
  void hostileTokensAreAllRejectedAndTheUpstreamIsNeverCalled() throws Exception {
    startGateway("");
    long now = System.currentTimeMillis();
    String good = rs256(claims());
    String payload = claims().build().toString();
    byte[] rsaPublicBytes = Tokens.RSA.toPublicJWK().toJSONString().getBytes();
    Map<String, String> hostile = new LinkedHashMap<>();
    hostile.put("alg none", Tokens.raw("{\"alg\":\"none\"}", payload, ""));
    hostile.put("alg NONE", Tokens.raw("{\"alg\":\"NONE\"}", payload, "c2ln"));
    hostile.put("alg nOnE", Tokens.raw("{\"alg\":\"nOnE\",\"kid\":\"rsa-1\"}", payload, "c2ln"));
    hostile.put("RS256 public key as HS256 secret",
        Tokens.hs(rsaPublicBytes, JWSAlgorithm.HS256, claims().build(), h -> h.keyID("rsa-1")));
    hostile.put("tampered payload", Tokens.tamper(good, claims().subject("admin").build().toString()));
    hostile.put("stripped signature", good.substring(0, good.lastIndexOf('.') + 1));
    hostile.put("expired", rs256(claims().expirationTime(new java.util.Date(now - 120_000))));
    hostile.put("not yet valid", rs256(claims().notBeforeTime(new java.util.Date(now + 300_000))));
    hostile.put("missing exp", rs256(claims().expirationTime(null)));
    hostile.put("wrong iss", rs256(claims().issuer("https://evil.example/")));
    hostile.put("wrong aud", rs256(claims().audience("billing-api")));
    hostile.put("unknown kid", Tokens.sign(Tokens.rsa("rsa-9"), JWSAlgorithm.RS256, claims().build()));
    hostile.put("kid path traversal", Tokens.sign(Tokens.RSA, JWSAlgorithm.RS256, claims().build(),
        h -> h.keyID("../../../../dev/null")));
    hostile.put("jku", Tokens.sign(Tokens.ATTACKER_RSA, JWSAlgorithm.RS256, claims().build(),
        h -> h.jwkURL(URI.create("http://127.0.0.1:" + jwksServer.actualPort() + "/evil"))));
    hostile.put("embedded jwk", Tokens.sign(Tokens.ATTACKER_RSA, JWSAlgorithm.RS256, claims().build(),
        h -> h.jwk(Tokens.ATTACKER_RSA.toPublicJWK())));
    hostile.put("unknown crit", Tokens.sign(Tokens.RSA, JWSAlgorithm.RS256, claims().build(),
        h -> h.criticalParams(java.util.Set.of("exp2")).customParam("exp2", 1)));
    hostile.put("oversized", good + "A".repeat(9000));
    hostile.put("not three parts", "abc.def");
    hostile.put("bad base64", "!!!." + Tokens.b64(payload) + ".c2ln");
    hostile.put("header not JSON", Tokens.b64("not json") + "." + Tokens.b64(payload) + ".c2ln");
    int hitsBefore = jwksHits.get();

    Map<String, String> codes = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : hostile.entrySet()) {
      Reply reply = bearer(e.getValue());
      assertThat(reply.status()).as(e.getKey()).isEqualTo(401);
      assertThat(reply.headers().get("WWW-Authenticate")).as(e.getKey())
          .isEqualTo("Bearer realm=\"edgeway\", error=\"invalid_token\"");
      assertThat(reply.headers().get("Content-Type")).as(e.getKey()).startsWith("application/problem+json");
      String body = reply.body().toString();
      assertThat(body).as(e.getKey()).doesNotContain(e.getValue().substring(0, Math.min(20, e.getValue().length())))
          .doesNotContain(Tokens.SECRET);
      assertThat(reply.body().length()).as(e.getKey() + " body " + reply.headers()).isPositive();
      codes.put(e.getKey(), reply.json().getString("code"));
    }
    assertThat(upstream.count()).isZero();
    assertThat(codes).containsEntry("alg none", "invalid_algorithm").containsEntry("alg nOnE", "invalid_algorithm")
        .containsEntry("RS256 public key as HS256 secret", "invalid_algorithm")
        .containsEntry("tampered payload", "invalid_signature").containsEntry("expired", "token_expired")
        .containsEntry("not yet valid", "token_not_yet_valid").containsEntry("missing exp", "missing_expiration")
        .containsEntry("wrong iss", "invalid_issuer").containsEntry("wrong aud", "invalid_audience")
        .containsEntry("unknown kid", "unknown_key").containsEntry("kid path traversal", "unknown_key")
        .containsEntry("jku", "invalid_signature").containsEntry("embedded jwk", "invalid_signature")
        .containsEntry("unknown crit", "unsupported_critical_header").containsEntry("oversized", "token_too_large")
        .containsEntry("not three parts", "malformed_token").containsEntry("header not JSON", "malformed_token");
    // Two unknown kids: at most one refetch (rate limit 30 s); the jku URL is never fetched.
    assertThat(jwksHits.get() - hitsBefore).isEqualTo(1);
  }

  @Test
  void validRs256Es256AndHs256TokensAreAcceptedAndForgedIdentityHeadersRemoved() throws Exception {
    startGateway("");
    Reply rs = bearer(rs256(claims()), "X-User-Id", "admin", "X-User-Email", "evil@example.com");
    assertThat(rs.status()).isEqualTo(200);
    assertThat(upstream.last().headers().getAll("X-User-Id")).containsExactly("alice");
    assertThat(upstream.last().headers().getAll("X-User-Email")).containsExactly("alice@example.com");
    assertThat(upstream.last().headers().get("Authorization")).startsWith("Bearer ");

    Reply lowerCaseScheme = get("/orders/1", "Authorization", "bearer " + Tokens.sign(Tokens.EC, JWSAlgorithm.ES256,
        claims().build()));
    assertThat(lowerCaseScheme.status()).isEqualTo(200);

    String hs = Tokens.hs256(Tokens.SECRET, Tokens.claims("partner", null, System.currentTimeMillis())
        .subject("partner-app").claim("email", null).build());
    Reply partner = bearer(hs, "X-User-Email", "forged@example.com");
    assertThat(partner.status()).isEqualTo(200);
    assertThat(upstream.last().headers().get("X-User-Id")).isEqualTo("partner-app");
    assertThat(upstream.last().headers().contains("X-User-Email")).isFalse();

    // Rejections never reach the upstream, and never keep forged headers either.
    int before = upstream.count();
    assertThat(get("/orders/1", "X-User-Id", "admin").status()).isEqualTo(401);
    assertThat(get("/orders/1", "X-User-Id", "admin").headers().get("WWW-Authenticate"))
        .isEqualTo("Bearer realm=\"edgeway\"");
    assertThat(upstream.count()).isEqualTo(before);
  }

  @Test
  void scopeAmbiguityAndRepeatedTokens() throws Exception {
    startGateway("");
    Reply noScope = bearer(rs256(claims().claim("scope", "orders.write")));
    assertThat(noScope.status()).isEqualTo(403);
    assertThat(noScope.json().getString("code")).isEqualTo("insufficient_scope");
    assertThat(noScope.headers().get("WWW-Authenticate")).contains("error=\"insufficient_scope\"");

    String token = rs256(claims());
    Reply two = get("/orders/1", "Authorization", "Bearer " + token, "Authorization", "Bearer " + token);
    assertThat(two.status()).isEqualTo(400); // the edge already refuses two Authorization headers
    Reply queryAndHeader = get("/orders/1?access_token=" + token, "Authorization", "Bearer " + token);
    assertThat(queryAndHeader.status()).isEqualTo(400);
    assertThat(queryAndHeader.json().getString("code")).isEqualTo("ambiguous_token");

    for (int i = 0; i < 5; i++) {
      assertThat(bearer(token).status()).isEqualTo(200);
    }
    assertThat(upstream.count()).isEqualTo(5);
  }

  @Test
  void rotatedKeyIsFetchedOnFirstUseAndCachedKeysSurviveAJwksOutage() throws Exception {
    startGateway("");
    assertThat(bearer(rs256(claims())).status()).isEqualTo(200);

    serveKeys(Tokens.RSA, Tokens.EC, Tokens.RSA_ROTATED);
    int hits = jwksHits.get();
    String rotated = Tokens.sign(Tokens.RSA_ROTATED, JWSAlgorithm.RS256, claims().build());
    assertThat(bearer(rotated).status()).isEqualTo(200);
    assertThat(jwksHits.get()).isEqualTo(hits + 1);

    // The identity provider goes away: the keys in memory keep working.
    jwksServer.close().await(10, TimeUnit.SECONDS);
    jwksServer = null;
    assertThat(bearer(rs256(claims())).status()).isEqualTo(200);
    assertThat(bearer(Tokens.sign(Tokens.RSA_ROTATED, JWSAlgorithm.RS256, claims().build())).status()).isEqualTo(200);
    assertThat(bearer(Tokens.sign(Tokens.EC, JWSAlgorithm.ES256, claims().build())).status()).isEqualTo(200);

    JsonObject providers = adminJson("/jwt/providers");
    JsonObject status = providers.getJsonObject("corp");
    assertThat(status.getInteger("keys")).isEqualTo(3);
    assertThat(status.getBoolean("usable")).isTrue();
    // Key ids and refresh times for the operator; never key material (no modulus, no secret).
    assertThat(status.getJsonArray("keyIds").getList()).containsExactly("ec-1", "rsa-1", "rsa-2");
    assertThat(Instant.parse(status.getString("fetchedAt"))).isBeforeOrEqualTo(Instant.now());
    assertThat(Instant.parse(status.getString("lastRefreshAt"))).isAfterOrEqualTo(Instant.parse(status.getString("fetchedAt")));
    assertThat(status.getString("lastError")).isNull();
    JsonObject partner = providers.getJsonObject("partner");
    assertThat(partner.getString("source")).isEqualTo("secret");
    assertThat(partner.getJsonArray("keyIds")).isEmpty();
    assertThat(partner.getString("loadedAt")).isNotNull();
    String encoded = providers.encode();
    assertThat(encoded).doesNotContain(Tokens.SECRET).doesNotContain(Tokens.RSA.getModulus().toString())
        .doesNotContain("\"n\"").doesNotContain("\"k\"");
  }

  @Test
  void anEmptyOrBrokenKeySetNeverReplacesTheLastGoodOne() throws Exception {
    startGateway("jwks-min-refetch-interval: 1ms");
    assertThat(bearer(rs256(claims())).status()).isEqualTo(200);
    jwks = "{\"keys\":[]}";
    // An unknown kid forces a refetch; it brings an empty set, which is refused.
    assertThat(bearer(Tokens.sign(Tokens.rsa("new"), JWSAlgorithm.RS256, claims().build())).status()).isEqualTo(401);
    jwksStatus = 500;
    jwks = "<html>oops</html>";
    assertThat(bearer(Tokens.sign(Tokens.rsa("new2"), JWSAlgorithm.RS256, claims().build())).status()).isEqualTo(401);
    assertThat(bearer(rs256(claims())).status()).isEqualTo(200);
    JsonObject status = adminJson("/jwt/providers").getJsonObject("corp");
    // Both refused sets count; a slow run may add the backoff retry scheduled 1 s after the first.
    assertThat(status.getLong("failures")).isGreaterThanOrEqualTo(2);
    assertThat(status.getString("lastError")).contains("500");
    assertThat(Instant.parse(status.getString("lastErrorAt"))).isBeforeOrEqualTo(Instant.now());
    assertThat(status.getJsonArray("keyIds").getList()).as("the last good set stays").contains("rsa-1");
  }

  @Test
  void protectedRoutesAnswer503UntilTheFirstKeySetArrives() throws Exception {
    jwksStatus = 503;
    startGateway("");
    Reply reply = bearer(rs256(claims()));
    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.json().getString("code")).isEqualTo("jwks_unavailable");
    assertThat(reply.headers().get("Retry-After")).isNotBlank();
    // Readiness says why, so a load balancer keeps traffic away meanwhile (security.md F1).
    JsonObject ready = adminJson("/ready");
    assertThat(ready.getBoolean("ready")).isFalse();
    assertThat(ready.getJsonArray("waitingFor").getList()).contains("jwks:corp");
    // Other providers and public routes are not affected.
    assertThat(bearer(Tokens.hs256(Tokens.SECRET, Tokens.claims("partner", null, System.currentTimeMillis()).build()))
        .status()).isEqualTo(200);

    jwksStatus = 200;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int status = 503;
    while (status == 503 && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling a background retry with a bounded deadline
      status = bearer(rs256(claims())).status();
    }
    assertThat(status).isEqualTo(200);
    assertThat(adminJson("/ready").getBoolean("ready")).isTrue();
  }

  @Test
  void aTokenFromTheQueryIsStrippedFromTheQuerySentUpstream() throws Exception {
    startGateway("");
    String token = Tokens.hs256(Tokens.SECRET, Tokens.claims("partner", null, System.currentTimeMillis()).build());
    assertThat(get("/q/1?a=1&access_token=" + token + "&b=%20x").status()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/q/1?a=1&b=%20x");
    assertThat(get("/q/2?access_token=" + token).status()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/q/2");
    assertThat(get("/q/3?a=1").status()).isEqualTo(401);
  }

  @Test
  void apiKeysAuthenticateByNameAndAreNotForwarded() throws Exception {
    startGateway("");
    Reply ok = get("/keys/1", "X-Api-Key", "web-key-0123456789abc", "X-Consumer", "forged");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(upstream.last().headers().contains("X-Api-Key")).isFalse();
    assertThat(upstream.last().headers().getAll("X-Consumer")).containsExactly("web");
    int before = upstream.count();
    Reply wrong = get("/keys/1", "X-Api-Key", "web-key-0123456789abX");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().getString("code")).isEqualTo("invalid_api_key");
    assertThat(wrong.body().toString()).doesNotContain("web-key");
    assertThat(get("/keys/1").json().getString("code")).isEqualTo("missing_api_key");
    assertThat(get("/keys/1", "X-Api-Key", "web-key-0123456789abc", "X-Api-Key", "mobile-key-0123456789").status())
        .isEqualTo(400);
    assertThat(upstream.count()).isEqualTo(before);
  }

  private JsonObject adminJson(String path) throws Exception {
    HttpClient admin = vertx.createHttpClient();
    try {
      return OnContext.await(vertx, () -> admin.request(HttpMethod.GET, gateway.adminPort(), "127.0.0.1", path)
          .compose(req -> req.send()).compose(resp -> resp.body()), 10).toJsonObject();
    } finally {
      admin.close();
    }
  }
}
