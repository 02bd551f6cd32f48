package io.edgeway.testkit;

import static java.util.Objects.requireNonNull;

import io.edgeway.exchange.ProblemResponses;
import io.edgeway.spi.AttributeKey;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.GatewayResponse;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An {@link Exchange} for unit tests: wraps a {@link TestRequest}, keeps attributes for inspection,
 * renders {@link #problem} exactly as the gateway does ({@code application/problem+json}), and holds
 * {@link #onComplete} callbacks until the test calls {@link #complete}.
 *
 * <pre>{@code
 * TestExchange exchange = TestExchange.of(TestRequest.get("/a").clientIp("10.0.0.1"));
 * GatewayResponse response = Await.result(filter.filter(exchange, ScriptedChain.respond(200)));
 * }</pre>
 */
public final class TestExchange implements Exchange {
  private final TestRequest request;
  private String routeId = "test-route";
  private String requestId = "test-request-id";
  private String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  private final long startNanos = System.nanoTime();
  private final Map<AttributeKey<?>, Object> attributes = Collections.synchronizedMap(new IdentityHashMap<>());
  private final List<Handler<ExchangeOutcome>> completionHandlers = new ArrayList<>();
  private ExchangeOutcome outcome;

  private TestExchange(TestRequest request) {
    this.request = requireNonNull(request, "request");
  }

  /**
   * An exchange for the given request.
   *
   * @param request the request as it would go upstream
   * @return the exchange, route {@code test-route}, request id {@code test-request-id}
   */
  public static TestExchange of(TestRequest request) {
    return new TestExchange(request);
  }

  /**
   * Sets the matched route's id.
   *
   * @param routeId the route id
   * @return this exchange
   */
  public TestExchange routeId(String routeId) {
    this.routeId = requireNonNull(routeId, "routeId");
    return this;
  }

  /**
   * Sets the request id.
   *
   * @param requestId the request id
   * @return this exchange
   */
  public TestExchange requestId(String requestId) {
    this.requestId = requireNonNull(requestId, "requestId");
    return this;
  }

  /**
   * Sets the W3C trace id.
   *
   * @param traceId 32 lower-case hex digits
   * @return this exchange
   */
  public TestExchange traceId(String traceId) {
    if (traceId == null || !traceId.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException("trace id: " + traceId + " (expected: 32 lower-case hex digits)");
    }
    this.traceId = traceId;
    return this;
  }

  @Override
  public String requestId() {
    return requestId;
  }

  @Override
  public String traceId() {
    return traceId;
  }

  @Override
  public String routeId() {
    return routeId;
  }

  @Override
  public TestRequest request() {
    return request;
  }

  @Override
  public <T> T get(AttributeKey<T> key) {
    return key.type().cast(attributes.get(requireNonNull(key, "key")));
  }

  @Override
  public <T> void put(AttributeKey<T> key, T value) {
    requireNonNull(key, "key");
    if (value == null) {
      attributes.remove(key);
    } else {
      attributes.put(key, key.type().cast(value));
    }
  }

  /**
   * The attributes set so far, for assertions (a copy).
   *
   * @return attribute names (as given to {@link AttributeKey#of}) to values
   */
  public Map<String, Object> attributes() {
    Map<String, Object> byName = new TreeMap<>();
    synchronized (attributes) {
      attributes.forEach((k, v) -> byName.put(k.name(), v));
    }
    return byName;
  }

  @Override
  public long startNanos() {
    return startNanos;
  }

  @Override
  public GatewayResponse problem(int status, String code, String title) {
    return ProblemResponses.render(status, code, title, routeId, requestId);
  }

  @Override
  public void onComplete(Handler<ExchangeOutcome> handler) {
    requireNonNull(handler, "handler");
    if (outcome != null) {
      handler.handle(outcome);
    } else {
      completionHandlers.add(handler);
    }
  }

  /**
   * Ends the exchange as the gateway does after the response was written: runs every
   * {@link #onComplete} callback once, in registration order.
   *
   * @param outcome how the request ended
   * @throws IllegalStateException when the exchange was already completed
   */
  public void complete(ExchangeOutcome outcome) {
    if (this.outcome != null) {
      throw new IllegalStateException("exchange already completed with " + this.outcome);
    }
    this.outcome = requireNonNull(outcome, "outcome");
    List<Handler<ExchangeOutcome>> handlers = List.copyOf(completionHandlers);
    completionHandlers.clear();
    handlers.forEach(h -> h.handle(outcome));
  }

  /**
   * Ends the exchange with a response of {@code status}, no error code, no bytes, no abort.
   *
   * @param status the status sent to the client
   */
  public void complete(int status) {
    complete(new ExchangeOutcome(status, null, 0, 0, System.nanoTime() - startNanos, false));
  }

  /**
   * Whether {@link #complete} ran.
   *
   * @return true once completed
   */
  public boolean completed() {
    return outcome != null;
  }
}
