package io.edgeway.auth;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.edgeway.runtime.ConfigReloadStats.Outcome;
import io.edgeway.runtime.ConfigReloader;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jwt-providers} reload live, through a gateway started from a file and a real JWKS server
 * on loopback: a new provider's keys are fetched before the swap, a provider whose JWKS cannot be
 * loaded refuses the reload and the old snapshot serves on, an unchanged provider is carried over
 * (no refetch), a removed one stops being accepted.
 */
class JwtProvidersReloadTest {
  private static final String HEAD = """
      server: { host: 127.0.0.1, port: 0, instances: 1, drain-delay: 0s, reload: { watch: false } }
      admin: { host: 127.0.0.1, port: 0 }
      """;

  @TempDir Path dir;
  private Vertx vertx;
  private TestUpstream upstream;
  private HttpServer jwksServer;
  /** Per JWKS path: what it serves (a 503 for a path not listed). */
  private final Map<String, String> jwks = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private TestGateway gateway;
  private HttpClient client;
  private Path file;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
    upstream.respondWith(TestUpstream::echo);
    jwksServer = vertx.createHttpServer().requestHandler(req -> {
      hits.computeIfAbsent(req.path(), p -> new AtomicInteger()).incrementAndGet();
      String body = jwks.get(req.path());
      req.response().setStatusCode(body == null ? 503 : 200).putHeader("Content-Type", "application/json")
          .end(body == null ? "{}" : body);
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    jwks.put("/corp", new JWKSet(List.<JWK>of(Tokens.RSA.toPublicJWK())).toString());
    jwks.put("/partner", new JWKSet(List.<JWK>of(Tokens.RSA_ROTATED.toPublicJWK())).toString());
    file = dir.resolve("edgeway.yaml");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    jwksServer.close().await(10, TimeUnit.SECONDS);
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private String provider(String name, String path) {
    return """
          %s:
            issuer: %s
            audiences: [orders-api]
            algorithms: [RS256]
            jwks-url: http://127.0.0.1:%d%s
            jwks-fetch-timeout: 2s
        """.formatted(name, name, jwksServer.actualPort(), path);
  }

  private String config(List<String> providers, String... definitions) {
    return HEAD + "jwt-providers:\n" + String.join("", definitions) + """
        routes:
          - id: orders
            match: { path: /orders/** }
            upstream: { targets: [ { url: %s } ] }
            filters:
              - jwt: { providers: %s, forward-claims: { iss: X-Issuer } }
        """.formatted(upstream.url(), providers);
  }

  /** Replaces the file in one rename, as editors and config management do. */
  private void write(String text) throws Exception {
    Path temp = Files.createTempFile(dir, "edgeway", ".tmp");
    Files.writeString(temp, text);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private ConfigReloader.Result reload() throws Exception {
    return gateway.gateway().reloader().reload("test").toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  private int status(String issuer, com.nimbusds.jose.jwk.RSAKey key) throws Exception {
    String token = Tokens.sign(key, JWSAlgorithm.RS256,
        Tokens.claims(issuer, "orders-api", System.currentTimeMillis()).build());
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(gateway.port()).setURI("/orders/1").addHeader("Authorization", "Bearer " + token);
    return OnContext.await(vertx, () -> client.request(options).compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode())), 20);
  }

  private JsonObject providers() throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(gateway.adminPort()).setURI("/jwt/providers");
    return OnContext.await(vertx, () -> client.request(options).compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> b.toJsonObject())), 20);
  }

  private int hitsAt(String path) {
    return hits.computeIfAbsent(path, p -> new AtomicInteger()).get();
  }

  @Test
  void aNewProviderIsLoadedBeforeTheSwapAndAnUnchangedOneIsCarriedOver() throws Exception {
    write(config(List.of("corp"), provider("corp", "/corp")));
    gateway = TestGateway.startFromFile(vertx, file, List.of());
    client = vertx.createHttpClient();
    assertThat(status("corp", Tokens.RSA)).isEqualTo(200);
    assertThat(upstream.last().headers().get("X-Issuer")).isEqualTo("corp");
    assertThat(status("partner", Tokens.RSA_ROTATED)).as("no partner provider yet").isEqualTo(401);
    int upstreamRequests = upstream.count();
    int corpFetches = hitsAt("/corp");

    write(config(List.of("corp", "partner"), provider("corp", "/corp"), provider("partner", "/partner")));
    ConfigReloader.Result result = reload();
    assertThat(result.attempt().outcome()).as(result.attempt().errors().toString()).isEqualTo(Outcome.APPLIED);
    assertThat(hitsAt("/partner")).as("the new provider's JWKS fetched before the swap").isEqualTo(1);
    assertThat(hitsAt("/corp")).as("the unchanged provider kept its keys: no refetch").isEqualTo(corpFetches);

    assertThat(status("partner", Tokens.RSA_ROTATED)).isEqualTo(200);
    assertThat(upstream.count()).isEqualTo(upstreamRequests + 1);
    assertThat(upstream.last().headers().get("X-Issuer")).as("the upstream got the new issuer's request")
        .isEqualTo("partner");
    assertThat(status("corp", Tokens.RSA)).isEqualTo(200);
    assertThat(providers().fieldNames()).containsExactlyInAnyOrder("corp", "partner");
    assertThat(gateway.gateway().runtime().notReadyReasons()).isEmpty();

    // Removed: its tokens are refused again and it leaves the admin API and the readiness checks.
    write(config(List.of("corp"), provider("corp", "/corp")));
    assertThat(reload().attempt().outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(status("partner", Tokens.RSA_ROTATED)).isEqualTo(401);
    assertThat(providers().fieldNames()).containsExactly("corp");
  }

  @Test
  void aProviderWhoseJwksCannotBeLoadedRefusesTheReloadAndTheOldSnapshotServes() throws Exception {
    write(config(List.of("corp"), provider("corp", "/corp")));
    gateway = TestGateway.startFromFile(vertx, file, List.of());
    client = vertx.createHttpClient();
    String runningVersion = gateway.gateway().runtime().reloadStats().running().hash();

    // /broken answers 503: no keys, so the route would answer 503 right after the swap.
    write(config(List.of("corp", "broken"), provider("corp", "/corp"), provider("broken", "/broken")));
    ConfigReloader.Result result = reload();
    assertThat(result.attempt().outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.attempt().errors()).singleElement().asString()
        .startsWith(file + ":")
        .contains(": jwt-providers.broken.jwks-url: http://127.0.0.1:" + jwksServer.actualPort() + "/broken: ")
        .contains("503")
        .endsWith("(expected: a JWKS URL answering with usable keys before the reload applies)");
    assertThat(hitsAt("/broken")).as("fetched during the attempt").isPositive();
    assertThat(gateway.gateway().runtime().reloadStats().running().hash()).isEqualTo(runningVersion);
    assertThat(status("corp", Tokens.RSA)).as("the old snapshot serves").isEqualTo(200);
    assertThat(providers().fieldNames()).containsExactly("corp");
    assertThat(gateway.gateway().runtime().notReadyReasons()).isEmpty();

    // Once the URL answers, the same file applies.
    jwks.put("/broken", new JWKSet(List.<JWK>of(Tokens.RSA_ROTATED.toPublicJWK())).toString());
    assertThat(reload().attempt().outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(status("broken", Tokens.RSA_ROTATED)).isEqualTo(200);
  }
}
