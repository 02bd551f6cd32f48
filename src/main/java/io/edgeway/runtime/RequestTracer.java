package io.edgeway.runtime;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.RequestSpan;
import io.edgeway.http.TraceContext;

/**
 * Decides whether a request is traced and starts its SERVER span. The core calls it once per
 * request, right after the exchange exists; a module installs one with
 * {@link GatewayRuntime#tracer(RequestTracer)} (the tracing module does, when enabled). With
 * {@link #NONE}, the default, the dispatcher makes no call and no span object exists.
 */
@FunctionalInterface
public interface RequestTracer {

  /** No tracing. */
  RequestTracer NONE = (exchange, trace) -> null;

  /**
   * Starts the request's SERVER span, a child of the caller's span when {@code trace} was
   * continued, with {@code trace}'s trace id and its span id ({@link TraceContext#spanId()}).
   * Runs on the event loop: must not block.
   *
   * @return the span, or null when the request is not traced (sampled out)
   */
  RequestSpan start(DefaultExchange exchange, TraceContext trace);
}
