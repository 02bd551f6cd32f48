package io.edgeway.exchange;

import io.edgeway.spi.AttributeKey;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.GatewayRequest;
import io.edgeway.spi.GatewayResponse;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's {@link Exchange}. Confined to one event loop. Attributes live in a small array
 * indexed by {@link AttributeKey#index()}, so a lookup is an array read, not a hash.
 */
public final class DefaultExchange implements Exchange {
  private static final Logger log = LoggerFactory.getLogger(DefaultExchange.class);

  private final String requestId;
  private final String traceId;
  private final String upstreamTraceparent;
  private final String routeId;
  private final GatewayRequest request;
  private final HttpServerRequest serverRequest;
  private final int loopIndex;
  private final long startNanos;
  private Object[] attributes = new Object[16];
  private Handler<ExchangeOutcome>[] completionHandlers;
  private int completionHandlerCount;
  private boolean completed;
  private ExchangeOutcome outcome;
  // The last response problem(...) made and its code, so the outcome records the code when that
  // response is the one sent (a filter may make one and then answer something else).
  private GatewayResponse problemResponse;
  private String problemCode;

  public DefaultExchange(
      String requestId, String traceId, String upstreamTraceparent, String routeId, GatewayRequest request,
      HttpServerRequest serverRequest, int loopIndex, long startNanos) {
    this.requestId = requestId;
    this.traceId = traceId;
    this.upstreamTraceparent = upstreamTraceparent;
    this.routeId = routeId;
    this.request = request;
    this.serverRequest = serverRequest;
    this.loopIndex = loopIndex;
    this.startNanos = startNanos;
  }

  @Override
  public String requestId() {
    return requestId;
  }

  @Override
  public String traceId() {
    return traceId;
  }

  /**
   * The {@code traceparent} the dispatcher puts on the upstream request: same trace, the gateway's
   * span as parent. When the request is traced, each upstream attempt replaces it with one naming
   * that attempt's CLIENT span ({@link RequestSpan}).
   */
  public String upstreamTraceparent() {
    return upstreamTraceparent;
  }

  @Override
  public String routeId() {
    return routeId;
  }

  @Override
  public GatewayRequest request() {
    return request;
  }

  /** The client's request; for the proxy core only (filters use {@link #request()}). */
  public HttpServerRequest serverRequest() {
    return serverRequest;
  }

  /** Index of the event loop (verticle instance) serving this exchange. */
  public int loopIndex() {
    return loopIndex;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(AttributeKey<T> key) {
    int i = key.index();
    return i < attributes.length ? (T) attributes[i] : null;
  }

  @Override
  public <T> void put(AttributeKey<T> key, T value) {
    int i = key.index();
    if (i >= attributes.length) {
      attributes = Arrays.copyOf(attributes, Math.max(i + 1, attributes.length * 2));
    }
    attributes[i] = value;
  }

  @Override
  public long startNanos() {
    return startNanos;
  }

  @Override
  public GatewayResponse problem(int status, String code, String title) {
    GatewayResponse response = ProblemResponses.render(status, code, title, routeId, requestId);
    problemResponse = response;
    problemCode = code;
    return response;
  }

  /**
   * The error code of {@code response} when {@link #problem} made it (whatever headers filters
   * added since), else null: what the access log and request events record as the error.
   */
  public String problemCode(GatewayResponse response) {
    return response != null && response == problemResponse ? problemCode : null;
  }

  @Override
  public void onComplete(Handler<ExchangeOutcome> handler) {
    if (completed) {
      // Late registration (e.g. a background cache refresh running the chain after the client
      // was answered): the exchange is over, so the callback runs now.
      run(handler, outcome);
      return;
    }
    if (completionHandlers == null) {
      completionHandlers = newHandlerArray(4);
    } else if (completionHandlerCount == completionHandlers.length) {
      completionHandlers = Arrays.copyOf(completionHandlers, completionHandlerCount * 2);
    }
    completionHandlers[completionHandlerCount++] = handler;
  }

  private void run(Handler<ExchangeOutcome> handler, ExchangeOutcome outcome) {
    try {
      handler.handle(outcome);
    } catch (RuntimeException e) {
      log.error("exchange completion callback failed (route {}, request {})", routeId, requestId, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Handler<ExchangeOutcome>[] newHandlerArray(int size) {
    return (Handler<ExchangeOutcome>[]) new Handler<?>[size];
  }

  /** True once {@link #complete} ran: the exchange has its outcome. */
  public boolean isCompleted() {
    return completed;
  }

  /** Runs the completion callbacks once; later calls are ignored. */
  public void complete(ExchangeOutcome outcome) {
    if (completed) {
      return;
    }
    completed = true;
    this.outcome = outcome;
    // Each callback runs even if an earlier one throws: a filter's cleanup (a bulkhead slot, a
    // cache entry) must not depend on another filter's callback behaving.
    for (int i = 0; i < completionHandlerCount; i++) {
      run(completionHandlers[i], outcome);
    }
    completionHandlers = null;
  }
}
