package io.edgeway.spi;

import io.vertx.core.Handler;

/**
 * One request passing through the gateway: the request as it will go upstream, the matched route,
 * typed per-request attributes, and completion callbacks. An exchange is confined to the event
 * loop that received the request; never share it with other threads.
 */
public interface Exchange {

  /** The request id: the client's {@code X-Request-Id} when well-formed, otherwise generated. */
  String requestId();

  /** The W3C trace id (32 hex digits) of this request, propagated or generated. */
  String traceId();

  /** The id of the matched route. */
  String routeId();

  /** The request as it will go upstream. */
  GatewayRequest request();

  /** The value stored under {@code key}, or null. */
  <T> T get(AttributeKey<T> key);

  /** Stores {@code value} under {@code key} (null removes it). */
  <T> void put(AttributeKey<T> key, T value);

  /** Nanoseconds ({@link System#nanoTime()}) at which the request arrived. */
  long startNanos();

  /**
   * An error response in the gateway's one format ({@code application/problem+json} with status,
   * title, stable code, route id and request id).
   *
   * @param status the HTTP status (4xx or 5xx)
   * @param code a stable machine code such as {@code unauthorized}
   * @param title a short summary; never secrets or token contents
   */
  GatewayResponse problem(int status, String code, String title);

  /**
   * Registers a callback that runs exactly once, on the exchange's event loop, after the
   * response was written or the client went away; registered after that, it runs at once. A
   * callback that throws is logged and does not stop the others. Callbacks must not block.
   */
  void onComplete(Handler<ExchangeOutcome> handler);
}
