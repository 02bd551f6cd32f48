package io.edgeway.examples.jsonbody;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testkit.GatewayExtension;
import io.edgeway.testkit.RecordingUpstream;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The filter in a real gateway in front of a recording upstream: what the upstream receives, and what it never does. */
class JsonBodyValidationIT {

  @RegisterExtension
  static final GatewayExtension gateway = GatewayExtension.withRoutes("""
      - id: orders
        match: { path: /orders/** }
        upstream: { targets: [ { url: "{{upstream}}" } ] }
        filters:
          - json-body-validation:
              schema-file: src/test/resources/schemas/order.json
              max-body: 256B
      - id: notes
        match: { path: /notes/** }
        upstream: { targets: [ { url: "{{upstream}}" } ] }
        filters:
          - json-body-validation:
              schema:
                type: object
                required: [text]
                properties:
                  text: { type: string, minLength: 1 }
      - id: tags
        match: { path: /tags/** }
        upstream: { targets: [ { url: "{{upstream}}" } ] }
        filters:
          - json-body-validation:
              schema: |
                { "type": "array", "items": { "type": "string" }, "maxItems": 2 }
      """);

  @Test
  void aSchemaWrittenAsYamlOrAsJsonTextValidatesAlike() throws Exception {
    assertThat(gateway.post("/notes", "{\"text\":\"\"}", "Content-Type", "application/json").statusCode()).isEqualTo(400);
    assertThat(gateway.post("/notes", "{\"text\":\"x\"}", "Content-Type", "application/json").statusCode()).isEqualTo(200);
    assertThat(gateway.post("/tags", "[\"a\",\"b\",\"c\"]", "Content-Type", "application/json").statusCode()).isEqualTo(400);
    assertThat(gateway.post("/tags", "[\"a\"]", "Content-Type", "application/json").statusCode()).isEqualTo(200);
    assertThat(gateway.upstream().requests()).extracting(RecordingUpstream.ReceivedRequest::path)
        .containsExactly("/notes", "/tags");
  }

  @Test
  void aValidBodyReachesTheUpstreamByteExactWithItsLength() throws Exception {
    String body = "{\"sku\": \"ABC-1234\",   \"quantity\": 3, \"note\": \"caf\u00e9 \u2615\"}";

    HttpResponse<String> response = gateway.post("/orders/new", body, "Content-Type", "application/json; charset=utf-8");

    assertThat(response.statusCode()).isEqualTo(200);
    RecordingUpstream.ReceivedRequest received = gateway.upstream().lastRequest();
    assertThat(received.body().getBytes()).isEqualTo(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(received.headers().get("Content-Length")).isEqualTo(Integer.toString(received.body().length()));
    assertThat(received.headers().get("Transfer-Encoding")).isNull();
    assertThat(received.headers().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
  }

  @Test
  void aValidChunkedBodyReachesTheUpstreamWithAContentLength() throws Exception {
    String body = "{\"text\":\"sent in chunks\"}";
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/notes"))
        .header("Content-Type", "application/json")
        // No length given: the JDK client sends the body chunked.
        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(body)));

    HttpResponse<String> response = gateway.send(request);

    assertThat(response.statusCode()).isEqualTo(200);
    RecordingUpstream.ReceivedRequest received = gateway.upstream().lastRequest();
    assertThat(received.bodyText()).isEqualTo(body);
    assertThat(received.headers().get("Content-Length")).isEqualTo(Integer.toString(body.length()));
    assertThat(received.headers().get("Transfer-Encoding")).isNull();
  }

  @Test
  void violationsAreListedAndNeverReachTheUpstream() throws Exception {
    HttpResponse<String> response = gateway.post("/orders/new", "{\"sku\":\"abc\",\"quantity\":0}",
        "Content-Type", "application/json");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(response.body());
    assertThat(problem.getString("code")).isEqualTo("schema_violation");
    assertThat(problem.getString("route")).isEqualTo("orders");
    assertThat(problem.getString("requestId")).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(problem.getJsonArray("violations").stream().map(v -> ((JsonObject) v).getString("path")))
        .containsExactlyInAnyOrder("/sku", "/quantity");
    assertThat(gateway.upstream().requests()).isEmpty();
  }

  @Test
  void nonJsonNeverReachesTheUpstream() throws Exception {
    HttpResponse<String> malformed = gateway.post("/orders/new", "{\"sku\":", "Content-Type", "application/json");
    HttpResponse<String> wrongType = gateway.post("/orders/new", "sku=ABC-1234", "Content-Type",
        "application/x-www-form-urlencoded");

    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("\"code\":\"invalid_json\"");
    assertThat(wrongType.statusCode()).isEqualTo(415);
    assertThat(wrongType.body()).contains("\"code\":\"unsupported_media_type\"");
    assertThat(gateway.upstream().requests()).isEmpty();
  }

  @Test
  void anOversizedBodyGets413AndNeverReachesTheUpstream() throws Exception {
    String big = "{\"sku\":\"ABC-1234\",\"quantity\":1,\"note\":\"" + "x".repeat(400) + "\"}";

    HttpResponse<String> declared = gateway.post("/orders/new", big, "Content-Type", "application/json");
    HttpResponse<String> chunked = gateway.send(HttpRequest.newBuilder(gateway.uri("/orders/new"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(big))));

    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(declared.body()).contains("\"code\":\"payload_too_large\"");
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(chunked.body()).contains("\"code\":\"payload_too_large\"");
    assertThat(gateway.upstream().requests()).isEmpty();
  }

  @Test
  void otherMethodsPassUnvalidated() throws Exception {
    assertThat(gateway.get("/orders/7").statusCode()).isEqualTo(200);
    assertThat(gateway.upstream().lastRequest().path()).isEqualTo("/orders/7");
  }
}
