package io.edgeway.exchange;

import io.edgeway.spi.Body;
import io.edgeway.spi.GatewayException;
import io.edgeway.spi.GatewayResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * The one place that renders client-facing errors: {@code application/problem+json} (RFC 9457)
 * with status, title, a stable machine {@code code}, the route id (when known) and the request
 * id. Never a stack trace, never an empty body.
 */
public final class ProblemResponses {
  public static final String CONTENT_TYPE = "application/problem+json";

  private ProblemResponses() {}

  /** Renders a gateway error. */
  public static GatewayResponse render(int status, String code, String title, String routeId, String requestId) {
    return render(status, code, title, routeId, requestId, Map.of());
  }

  /** Renders a {@link GatewayException}, including its extra headers. */
  public static GatewayResponse render(GatewayException e, String routeId, String requestId) {
    return render(e.status(), e.code(), e.title(), routeId, requestId, e.headers());
  }

  private static GatewayResponse render(
      int status, String code, String title, String routeId, String requestId, Map<String, String> extraHeaders) {
    StringBuilder json = new StringBuilder(160);
    json.append("{\"type\":\"about:blank\",\"status\":").append(status).append(',');
    JsonText.appendField(json, "title", title).append(',');
    JsonText.appendField(json, "code", code);
    if (routeId != null) {
      JsonText.appendField(json.append(','), "route", routeId);
    }
    if (requestId != null) {
      JsonText.appendField(json.append(','), "requestId", requestId);
    }
    json.append('}');
    Buffer body = Buffer.buffer(json.toString());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.set("Content-Type", CONTENT_TYPE);
    headers.set("Cache-Control", "no-store");
    extraHeaders.forEach(headers::set);
    return GatewayResponse.of(status, headers, Body.of(body));
  }
}
