package io.edgeway.auth;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.OtlpReceiver;
import io.edgeway.testing.OtlpReceiver.ReceivedSpan;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A JWKS refetch a traced request waits for is a child span of its SERVER span. */
class JwtTracingTest {
  private static final String ISSUER = "https://login.example.com/";

  private Vertx vertx;
  private TestUpstream upstream;
  private HttpServer jwksServer;
  private OtlpReceiver receiver;
  private TestGateway gateway;
  private volatile String jwks;

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    receiver.close();
    jwksServer.close().await(10, TimeUnit.SECONDS);
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String keySet(JWK... keys) {
    return new JWKSet(java.util.Arrays.stream(keys).map(JWK::toPublicJWK).toList()).toString();
  }

  @Test
  void aRefetchForAnUnknownKeyIsAChildSpanOfTheRequest() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
    receiver = OtlpReceiver.start(vertx);
    jwks = keySet(Tokens.RSA);
    jwksServer = vertx.createHttpServer().requestHandler(req -> req.response()
        .putHeader("Content-Type", "application/json").end(jwks)).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    gateway = TestGateway.start(vertx, """
        tracing: { endpoint: "%s", export-interval: 50ms }
        jwt-providers:
          corp:
            issuer: %s
            audiences: [orders-api]
            algorithms: [RS256]
            jwks-url: http://127.0.0.1:%d/jwks.json
        routes:
          - id: orders
            match: { path: /orders/** }
            upstream: { targets: [ { url: %s } ] }
            filters: [ { jwt: { providers: [corp] } } ]
        """.formatted(receiver.endpoint(), ISSUER, jwksServer.actualPort(), upstream.url()));
    // The identity provider rotates its key: the first token signed with it sends the gateway
    // back to the JWKS URL while the request waits.
    jwks = keySet(Tokens.RSA, Tokens.RSA_ROTATED);
    String token = Tokens.sign(Tokens.RSA_ROTATED, JWSAlgorithm.RS256,
        Tokens.claims(ISSUER, "orders-api", System.currentTimeMillis()).build());
    String trace = "6bf92f3577b34da6a3ce929d0e0e4736";
    HttpClient client = gateway.client(vertx);
    int status = OnContext.await(vertx, () -> client.request(new RequestOptions().setMethod(HttpMethod.GET)
            .setURI("/orders/1").addHeader("Authorization", "Bearer " + token)
            .addHeader("traceparent", "00-" + trace + "-00f067aa0ba902b7-01"))
        .compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode())), 20);
    assertThat(status).isEqualTo(200);

    List<ReceivedSpan> spans = receiver.awaitTrace(trace, 3);
    ReceivedSpan server = spans.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
    assertThat(spans).filteredOn(s -> s.name().equals("jwks fetch")).singleElement().satisfies(fetch -> {
      assertThat(fetch.parentSpanId()).isEqualTo(server.spanId());
      assertThat(fetch.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
      assertThat(fetch.attributes()).containsEntry("edgeway.jwt.provider", "corp")
          .containsEntry("edgeway.jwks.changed", "true")
          .containsEntry("url.full", "http://127.0.0.1:" + jwksServer.actualPort() + "/jwks.json");
    });
    assertThat(spans).filteredOn(s -> s.kind() == SpanKind.SPAN_KIND_CLIENT).hasSize(2);
  }
}
