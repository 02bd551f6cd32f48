package io.edgeway.examples.jsonbody;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.spi.GatewayException;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.testkit.Await;
import io.edgeway.testkit.ScriptedChain;
import io.edgeway.testkit.TestExchange;
import io.edgeway.testkit.TestFilterContext;
import io.edgeway.testkit.TestRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The filter against the test kit's exchange and chain: what passes, what is refused, and how. */
class JsonBodyValidationFilterTest {
  private static final String SCHEMA = """
      type: object
      required: [sku, quantity]
      properties:
        sku: { type: string, pattern: "^[A-Z]{3}-[0-9]{4}$" }
        quantity: { type: integer, minimum: 1 }
        tags: { type: array, items: { type: string } }
      additionalProperties: false
      """;

  private final GatewayFilter filter = filter(new JsonBodyValidationConfig(SCHEMA, null, null, null, null, null));

  private static GatewayFilter filter(JsonBodyValidationConfig config) {
    return new JsonBodyValidationFactory().create(config, TestFilterContext.forRoute("orders"));
  }

  private static TestExchange post(String body, String contentType) {
    TestRequest request = TestRequest.post("/orders", body);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return TestExchange.of(request).routeId("orders").requestId("req-1");
  }

  @Test
  void aValidBodyGoesOnByteForByte() {
    String body = "{ \"sku\" : \"ABC-1234\",\n \"quantity\": 2 }";
    ScriptedChain chain = ScriptedChain.respond(201);

    GatewayResponse response = Await.result(filter.filter(post(body, "application/json"), chain));

    assertThat(response.status()).isEqualTo(201);
    assertThat(chain.calls()).isEqualTo(1);
    assertThat(chain.lastRequest().body()).isEqualTo(Buffer.buffer(body));
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "Application/JSON; charset=utf-8", "application/merge-patch+json",
      "application/vnd.api+json;v=2"})
  void acceptsJsonMediaTypesAndSuffixes(String contentType) {
    ScriptedChain chain = ScriptedChain.respond(200);
    Await.result(filter.filter(post("{\"sku\":\"ABC-1234\",\"quantity\":1}", contentType), chain));
    assertThat(chain.calls()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/jsonx", "application/+json", "json", "multipart/form-data; boundary=x"})
  void refusesOtherMediaTypesWith415(String contentType) {
    ScriptedChain chain = ScriptedChain.respond(200);
    GatewayResponse response = Await.result(filter.filter(post("{}", contentType), chain));
    assertThat(response.status()).isEqualTo(415);
    assertThat(response.body().buffer().toString()).contains("\"code\":\"unsupported_media_type\"");
    assertThat(chain.calls()).isZero();
  }

  @Test
  void refusesABodyWithoutContentTypeWith415() {
    ScriptedChain chain = ScriptedChain.respond(200);
    assertThat(Await.result(filter.filter(post("{}", null), chain)).status()).isEqualTo(415);
    assertThat(chain.calls()).isZero();
  }

  @Test
  void theConfiguredContentTypesReplaceTheDefaults() {
    GatewayFilter custom = filter(new JsonBodyValidationConfig("{}", null, null, null, List.of("application/x-order"), null));
    ScriptedChain chain = ScriptedChain.respond(200);
    assertThat(Await.result(custom.filter(post("{}", "application/x-order"), chain)).status()).isEqualTo(200);
    assertThat(Await.result(custom.filter(post("{}", "application/json"), chain)).status()).isEqualTo(415);
    assertThat(chain.calls()).isEqualTo(1);
  }

  @Test
  void otherMethodsPassUnread() {
    ScriptedChain chain = ScriptedChain.respond(200);
    TestExchange exchange = TestExchange.of(TestRequest.of(HttpMethod.DELETE, "/orders/1").body("not json"));
    assertThat(Await.result(filter.filter(exchange, chain)).status()).isEqualTo(200);
    assertThat(chain.calls()).isEqualTo(1);

    GatewayFilter deleteToo = filter(new JsonBodyValidationConfig("{}", null, List.of("delete"), null, null, null));
    TestExchange again = TestExchange.of(TestRequest.of(HttpMethod.DELETE, "/orders/1").body("not json")
        .header("Content-Type", "application/json"));
    assertThat(Await.result(deleteToo.filter(again, chain)).status()).isEqualTo(400);
    assertThat(chain.calls()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"sku\":", "not json", "", "{\"sku\":\"ABC-1234\",\"quantity\":1,\"quantity\":2}",
      "{\"sku\":\"ABC-1234\",\"quantity\":1} {}", "{'sku':'ABC-1234'}"})
  void refusesWhatIsNotOneWellFormedJsonDocumentWith400(String body) {
    ScriptedChain chain = ScriptedChain.respond(200);
    GatewayResponse response = Await.result(filter.filter(post(body, "application/json"), chain));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.body().buffer().toString()).contains("\"code\":\"invalid_json\"", "\"route\":\"orders\"");
    assertThat(chain.calls()).isZero();
  }

  @Test
  void listsTheViolationsInTheGatewaysProblemFormat() {
    ScriptedChain chain = ScriptedChain.respond(200);
    String body = "{\"sku\":\"abc\",\"quantity\":0,\"tags\":[\"a\",7],\"extra\":true}";

    GatewayResponse response = Await.result(filter.filter(post(body, "application/json"), chain));

    assertThat(chain.calls()).isZero();
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.headers().get("Cache-Control")).isEqualTo("no-store");
    JsonObject problem = new JsonObject(response.body().buffer());
    assertThat(List.copyOf(problem.fieldNames()))
        .containsExactly("type", "status", "title", "code", "route", "requestId", "violations");
    assertThat(problem.getString("type")).isEqualTo("about:blank");
    assertThat(problem.getInteger("status")).isEqualTo(400);
    assertThat(problem.getString("code")).isEqualTo("schema_violation");
    assertThat(problem.getString("route")).isEqualTo("orders");
    assertThat(problem.getString("requestId")).isEqualTo("req-1");
    JsonArray violations = problem.getJsonArray("violations");
    assertThat(violations.stream().map(v -> ((JsonObject) v).getString("path")))
        .containsExactlyInAnyOrder("/sku", "/quantity", "/tags/1", "");
    assertThat(violations.stream().map(v -> ((JsonObject) v).getString("message")))
        .allSatisfy(message -> assertThat(message).isNotBlank())
        .anySatisfy(message -> assertThat(message).contains("extra"))
        .anySatisfy(message -> assertThat(message).contains("1")); // minimum 1
  }

  @Test
  void capsTheListedViolationsAndCountsTheRest() {
    GatewayFilter capped = filter(new JsonBodyValidationConfig(SCHEMA, null, null, null, null, 2));
    String body = "{\"sku\":1,\"quantity\":\"x\",\"tags\":[1,2,3]}";

    GatewayResponse response = Await.result(capped.filter(post(body, "application/json"), ScriptedChain.respond(200)));

    JsonObject problem = new JsonObject(response.body().buffer());
    assertThat(problem.getJsonArray("violations")).hasSize(2);
    assertThat(problem.getInteger("omittedViolations")).isEqualTo(3);
  }

  @Test
  void aBodyOverMaxBodyFailsWith413AndIsNotValidated() {
    GatewayFilter small = filter(new JsonBodyValidationConfig(SCHEMA, null, null, io.edgeway.spi.DataSize.ofBytes(16),
        null, null));
    ScriptedChain chain = ScriptedChain.respond(200);

    Throwable failure = Await.failure(small.filter(post("{\"sku\":\"ABC-1234\",\"quantity\":1}", "application/json"), chain));

    assertThat(failure).isInstanceOf(GatewayException.class);
    assertThat(((GatewayException) failure).status()).isEqualTo(413);
    assertThat(((GatewayException) failure).code()).isEqualTo("payload_too_large");
    assertThat(chain.calls()).isZero();
  }
}
