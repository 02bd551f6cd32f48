package io.edgeway.exchange;

import io.edgeway.spi.AttributeKey;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.ExchangeOutcome;

/**
 * The tracing of one request: its SERVER span, made by the tracer a module installs
 * ({@code runtime.RequestTracer}) and kept under {@link #KEY} in the exchange. An exchange without
 * one (tracing off, or the request sampled out) makes no span at all: {@link #child} answers
 * {@link SpanHandle#NONE}. This is how the core and features record I/O without knowing the
 * tracing module.
 */
public interface RequestSpan {

  /** The request's span, present only while the request is traced. */
  AttributeKey<RequestSpan> KEY = AttributeKey.of("edgeway.request-span", RequestSpan.class);

  /**
   * Starts a child span of {@code exchange}'s SERVER span for outbound I/O done on its behalf (a
   * JWKS fetch, a Redis call), or {@link SpanHandle#NONE} when the request is not traced.
   *
   * @param name the span's name, low-cardinality (e.g. {@code "jwks fetch"}, {@code "redis EVALSHA"})
   */
  static SpanHandle child(Exchange exchange, String name) {
    RequestSpan span = exchange.get(KEY);
    return span == null ? SpanHandle.NONE : span.startChild(name);
  }

  /** A CLIENT child span for outbound I/O; see {@link #child(Exchange, String)}. */
  SpanHandle startChild(String name);

  /**
   * Starts the CLIENT span of one upstream attempt. Its {@link SpanHandle#traceparent()} is what
   * that attempt sends upstream, so the upstream's span is this span's child.
   *
   * @param attempt 1 for the first attempt, 2 for the first retry...
   */
  SpanHandle startUpstreamAttempt(String method, String targetUrl, String host, int port, String path, int attempt);

  /** Ends the SERVER span once the exchange completed (status, error code, upstream). */
  void end(DefaultExchange exchange, ExchangeOutcome outcome);
}
