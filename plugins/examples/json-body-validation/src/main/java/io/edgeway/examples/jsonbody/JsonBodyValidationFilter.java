package io.edgeway.examples.jsonbody;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import io.edgeway.spi.Body;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayRequest;
import io.edgeway.spi.GatewayResponse;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One route's validation. Immutable and shared by every event loop: the compiled schema is
 * thread-safe, and everything per request lives on the stack.
 */
final class JsonBodyValidationFilter implements GatewayFilter {
  // A body the validator and the upstream could read differently must not pass: with duplicate keys
  // ({"role":"user","role":"admin"}) one parser keeps the first and another the last, so the schema
  // would check a different document than the service acts on. Trailing content ({}{"x":1}) likewise.
  static final JsonMapper BODY_READER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final Schema schema;
  private final Set<String> methods;
  private final long maxBody;
  private final MediaTypeMatcher contentTypes;
  private final int maxViolations;

  JsonBodyValidationFilter(Schema schema, JsonBodyValidationConfig config) {
    this.schema = schema;
    this.methods = Set.copyOf(config.methods());
    this.maxBody = config.maxBody().bytes();
    this.contentTypes = new MediaTypeMatcher(config.contentTypes());
    this.maxViolations = config.maxViolations();
  }

  @Override
  public Future<GatewayResponse> filter(Exchange exchange, FilterChain chain) {
    GatewayRequest request = exchange.request();
    if (!methods.contains(request.method().name())) {
      return chain.proceed(exchange);
    }
    if (!contentTypes.matches(request.headers().get("Content-Type"))) {
      // Answered before the body is read: a request stream starts paused, so it is never invited.
      return Future.succeededFuture(
          exchange.problem(415, "unsupported_media_type", "Request body must be JSON (Content-Type)"));
    }
    // At most max-body bytes are buffered: past that, reading stops and the future fails with 413
    // payload_too_large (at once when the declared Content-Length is larger). The body's own failures
    // (the route's limit, broken framing, a stall, a client gone) fail it too; returned as they are,
    // the gateway answers with their status and the upstream receives nothing.
    return request.body().read(maxBody).compose(bytes -> {
      JsonNode document;
      try {
        document = BODY_READER.readTree(bytes.getBytes());
      } catch (JacksonException e) {
        // The parser's message is not echoed: it quotes the client's bytes.
        return Future.succeededFuture(exchange.problem(400, "invalid_json", "Request body is not valid JSON"));
      }
      if (document == null || document.isMissingNode()) {
        return Future.succeededFuture(exchange.problem(400, "invalid_json", "Request body is empty (expected: JSON)"));
      }
      List<Error> violations = schema.validate(document);
      if (!violations.isEmpty()) {
        return Future.succeededFuture(ViolationProblem.render(exchange, violations, maxViolations));
      }
      // The bytes as received, not a re-serialisation: the upstream gets exactly what was validated,
      // with a Content-Length the gateway derives from this body.
      request.body(Body.of(bytes));
      return chain.proceed(exchange);
    });
  }
}
