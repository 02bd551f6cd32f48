package io.edgeway.examples.jsonbody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.spi.DataSize;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.testkit.Await;
import io.edgeway.testkit.ScriptedChain;
import io.edgeway.testkit.TestExchange;
import io.edgeway.testkit.TestFilterContext;
import io.edgeway.testkit.TestRequest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record's defaults and messages, and what create() makes of the schema (read and checked once). */
class JsonBodyValidationConfigTest {

  @Test
  void appliesTheDefaults() {
    JsonBodyValidationConfig config = new JsonBodyValidationConfig("{}", null, null, null, null, null);
    assertThat(config.methods()).containsExactly("POST", "PUT", "PATCH");
    assertThat(config.maxBody()).isEqualTo(DataSize.ofBytes(1 << 20));
    assertThat(config.contentTypes()).containsExactly("application/json", "+json");
    assertThat(config.maxViolations()).isEqualTo(20);
  }

  @Test
  void rejectsBadValuesWithTheirKey() {
    assertThatThrownBy(() -> new JsonBodyValidationConfig(null, null, null, null, null, null))
        .hasMessage("schema: null (expected: a JSON Schema, or schema-file naming a file with one)");
    assertThatThrownBy(() -> new JsonBodyValidationConfig("{}", "s.json", null, null, null, null))
        .hasMessage("schema-file: s.json (expected: either schema or schema-file, not both)");
    assertThatThrownBy(() -> new JsonBodyValidationConfig(5L, null, null, null, null, null))
        .hasMessage("schema: 5 (expected: a JSON Schema: a mapping, true or false, or JSON or YAML text)");
    assertThatThrownBy(() -> new JsonBodyValidationConfig("{}", null, List.of("POST", "GE T"), null, null, null))
        .hasMessage("methods[1]: GE T (expected: an HTTP method such as POST)");
    assertThatThrownBy(() -> new JsonBodyValidationConfig("{}", null, List.of(), null, null, null))
        .hasMessage("methods: [] (expected: at least one method, such as POST)");
    assertThatThrownBy(() -> new JsonBodyValidationConfig("{}", null, null, DataSize.ofBytes(0), null, null))
        .hasMessage("max-body: 0B (expected: 1B..16MiB)");
    assertThatThrownBy(() -> new JsonBodyValidationConfig("{}", null, null, DataSize.parse("17MiB"), null, null))
        .hasMessage("max-body: 17MiB (expected: 1B..16MiB)");
    assertThatThrownBy(() -> new JsonBodyValidationConfig("{}", null, null, null, List.of("application/json", "json"), null))
        .hasMessage("content-types[1]: json (expected: a media type such as application/json, or a suffix such as +json)");
    assertThatThrownBy(() -> new JsonBodyValidationConfig("{}", null, null, null, List.of("application/*"), null))
        .hasMessage("content-types[0]: application/* (expected: a media type such as application/json, or a suffix such as +json)");
    assertThatThrownBy(() -> new JsonBodyValidationConfig("{}", null, null, null, null, 0))
        .hasMessage("max-violations: 0 (expected: 1..1000)");
  }

  @Test
  void readsTheSchemaFileOnceWhenTheFilterIsCreated(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("order.json");
    Files.copy(Path.of("src/test/resources/schemas/order.json"), file);
    GatewayFilter filter = create(new JsonBodyValidationConfig(null, file.toString(), null, null, null, null));
    Files.delete(file); // the filter holds the compiled schema: requests never touch the file

    ScriptedChain chain = ScriptedChain.respond(200);
    assertThat(Await.result(filter.filter(post("{\"sku\":\"ABC-1234\",\"quantity\":3}"), chain)).status()).isEqualTo(200);
    assertThat(Await.result(filter.filter(post("{\"sku\":\"ABC-1234\"}"), chain)).status()).isEqualTo(400);
    assertThat(chain.calls()).isEqualTo(1);
  }

  @Test
  void anInlineSchemaMayBeJsonOrYaml() {
    GatewayFilter json = create(new JsonBodyValidationConfig("{\"type\":\"object\",\"required\":[\"a\"]}", null, null, null, null, null));
    GatewayFilter yaml = create(new JsonBodyValidationConfig("type: object\nrequired: [a]\n", null, null, null, null, null));
    for (GatewayFilter filter : List.of(json, yaml)) {
      assertThat(Await.result(filter.filter(post("{\"a\":1}"), ScriptedChain.respond(200))).status()).isEqualTo(200);
      assertThat(Await.result(filter.filter(post("{\"b\":1}"), ScriptedChain.respond(200))).status()).isEqualTo(400);
    }
  }

  @Test
  void aMissingSchemaFileFailsCreateWithThePath(@TempDir Path dir) {
    String missing = dir.resolve("nope.json").toString();
    assertThatThrownBy(() -> create(new JsonBodyValidationConfig(null, missing, null, null, null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("schema-file: " + missing + " (expected: a readable file; NoSuchFileException");
  }

  @Test
  void aSchemaThatIsNotJsonSchemaFailsCreate() {
    assertThatThrownBy(() -> create(new JsonBodyValidationConfig("{\"type\": \"strin\"}", null, null, null, null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("schema: /type: ")
        .hasMessageEndingWith("(expected: a valid JSON Schema of https://json-schema.org/draft/2020-12/schema)");
    assertThatThrownBy(() -> create(new JsonBodyValidationConfig("required: name", null, null, null, null, null)))
        .hasMessageStartingWith("schema: /required: ");
    assertThatThrownBy(() -> create(new JsonBodyValidationConfig("[1, 2]", null, null, null, null, null)))
        .hasMessage("schema: array (expected: a JSON Schema, which is an object or a boolean)");
    assertThatThrownBy(() -> create(new JsonBodyValidationConfig("{\"type\": ", null, null, null, null, null)))
        .hasMessageStartingWith("schema: ")
        .hasMessageEndingWith("(expected: a JSON Schema as JSON)");
  }

  @Test
  void aRemoteRefIsNeverFetched() throws Exception {
    // No network at load (or worse, on an event loop): the reference stays unresolved, so create() fails.
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String ref = "http://127.0.0.1:" + server.getLocalPort() + "/order.json";
      assertThatThrownBy(() -> create(new JsonBodyValidationConfig("{\"$ref\": \"" + ref + "\"}", null, null, null, null,
          null)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("schema: ")
          .hasMessageContaining(ref)
          .hasMessageEndingWith("(expected: a valid JSON Schema)");
      // create() is synchronous: a connection it had opened would already wait in the backlog.
      server.setSoTimeout(1);
      assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void aLocalRefIntoDefsWorks() {
    GatewayFilter filter = create(new JsonBodyValidationConfig("""
        $defs:
          positive: { type: integer, minimum: 1 }
        properties:
          quantity: { $ref: "#/$defs/positive" }
        """, null, null, null, null, null));
    assertThat(Await.result(filter.filter(post("{\"quantity\":2}"), ScriptedChain.respond(200))).status()).isEqualTo(200);
    assertThat(Await.result(filter.filter(post("{\"quantity\":0}"), ScriptedChain.respond(200))).status()).isEqualTo(400);
  }

  private static GatewayFilter create(JsonBodyValidationConfig config) {
    return new JsonBodyValidationFactory().create(config, TestFilterContext.forRoute("r"));
  }

  private static TestExchange post(String body) {
    return TestExchange.of(TestRequest.post("/orders", body).header("Content-Type", "application/json"));
  }
}
