package io.edgeway.tracing;

import io.edgeway.exchange.SpanHandle;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;

/** A child span of a traced request, over an SDK span. */
final class OtelSpanHandle implements SpanHandle {
  private final Span span;

  OtelSpanHandle(Span span) {
    this.span = span;
  }

  @Override
  public SpanHandle attribute(String key, String value) {
    if (value != null) {
      span.setAttribute(key, value);
    }
    return this;
  }

  @Override
  public SpanHandle attribute(String key, long value) {
    span.setAttribute(key, value);
    return this;
  }

  @Override
  public String traceparent() {
    SpanContext c = span.getSpanContext();
    return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
  }

  @Override
  public void end(String errorType) {
    if (errorType != null) {
      span.setAttribute(SpanAttributes.ERROR_TYPE, errorType);
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }
}
