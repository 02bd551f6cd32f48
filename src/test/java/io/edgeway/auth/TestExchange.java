package io.edgeway.auth;

import io.edgeway.exchange.ProblemResponses;
import io.edgeway.spi.AttributeKey;
import io.edgeway.spi.Body;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.GatewayRequest;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.exchange.DefaultGatewayRequest;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.HashMap;
import java.util.Map;

/** An exchange without sockets for filter unit tests. */
final class TestExchange implements Exchange {
  private final GatewayRequest request;
  private final Map<AttributeKey<?>, Object> attributes = new HashMap<>();

  TestExchange(String query, String... headers) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    this.request = new DefaultGatewayRequest(HttpMethod.GET, "/orders/1", "/orders/1", query, "gw.example", "http",
        "127.0.0.1", Map.of(), h, Body.empty());
  }

  @Override
  public String requestId() {
    return "req-1";
  }

  @Override
  public String traceId() {
    return "0".repeat(32);
  }

  @Override
  public String routeId() {
    return "orders";
  }

  @Override
  public GatewayRequest request() {
    return request;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(AttributeKey<T> key) {
    return (T) attributes.get(key);
  }

  @Override
  public <T> void put(AttributeKey<T> key, T value) {
    attributes.put(key, value);
  }

  @Override
  public long startNanos() {
    return 0;
  }

  @Override
  public GatewayResponse problem(int status, String code, String title) {
    return ProblemResponses.render(status, code, title, "orders", "req-1");
  }

  @Override
  public void onComplete(Handler<ExchangeOutcome> handler) {}
}
