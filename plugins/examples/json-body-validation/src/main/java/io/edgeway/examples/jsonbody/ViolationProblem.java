package io.edgeway.examples.jsonbody;

import com.networknt.schema.Error;
import io.edgeway.spi.Body;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.GatewayResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The 400 answer to a body that breaks the schema. {@code Exchange.problem(...)} renders only a title,
 * and a client fixing its request needs to know where and what: so this builds the same
 * {@code application/problem+json} document the gateway renders (type, status, title, code, route,
 * requestId, in that order, and the same headers) plus a {@code violations} array.
 */
final class ViolationProblem {
  static final String CODE = "schema_violation";
  private static final JsonMapper WRITER = JsonMapper.shared();

  private ViolationProblem() {}

  static GatewayResponse render(Exchange exchange, List<Error> violations, int maxViolations) {
    ObjectNode problem = WRITER.createObjectNode();
    problem.put("type", "about:blank");
    problem.put("status", 400);
    problem.put("title", "Request body does not match the schema");
    problem.put("code", CODE);
    problem.put("route", exchange.routeId());
    problem.put("requestId", exchange.requestId());
    ArrayNode list = problem.putArray("violations");
    for (Error violation : violations.subList(0, Math.min(maxViolations, violations.size()))) {
      ObjectNode item = list.addObject();
      item.put("path", violation.getInstanceLocation().toString());
      item.put("message", violation.getMessage());
    }
    if (violations.size() > maxViolations) {
      problem.put("omittedViolations", violations.size() - maxViolations);
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .set("Content-Type", "application/problem+json")
        .set("Cache-Control", "no-store");
    return GatewayResponse.of(400, headers, Body.of(Buffer.buffer(WRITER.writeValueAsBytes(problem))));
  }
}
