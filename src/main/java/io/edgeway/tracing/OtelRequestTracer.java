package io.edgeway.tracing;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.RequestSpan;
import io.edgeway.http.TraceContext;
import io.edgeway.runtime.RequestTracer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.Clock;
import io.vertx.core.http.HttpHeaders;
import java.util.concurrent.TimeUnit;

/**
 * Starts each request's SERVER span with the SDK: parented on the caller's span when the request
 * continued a trace ({@link TraceContext}), with the trace and span ids the gateway already chose
 * ({@link PresetIds}), sampled by the provider's sampler. A request sampled out gets no
 * {@link RequestSpan}: nothing more is recorded for it, and its upstream gets the dispatcher's
 * {@code traceparent} (not-sampled flag included).
 */
final class OtelRequestTracer implements RequestTracer {
  private final Tracer tracer;
  private final PresetIds ids;
  private final Clock clock;

  OtelRequestTracer(Tracer tracer, PresetIds ids, Clock clock) {
    this.tracer = tracer;
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public RequestSpan start(DefaultExchange ex, TraceContext trace) {
    if (trace.isContinued() && !TraceFlags.fromHex(trace.flags(), 0).isSampled()) {
      // What the parent-based sampler would decide, without building a span to learn it.
      return null;
    }
    Context parent = Context.root();
    if (trace.isContinued()) {
      parent = parent.with(Span.wrap(SpanContext.createFromRemoteParent(trace.traceId(), trace.parentId(),
          TraceFlags.fromHex(trace.flags(), 0), TraceState.getDefault())));
    }
    String method = ex.request().method().name();
    // The exchange began before the span: start it then, so the span covers the whole request.
    long startEpochNanos = clock.now() - (System.nanoTime() - ex.startNanos());
    SpanBuilder builder = tracer.spanBuilder(ex.routeId() == null ? method : method + " " + ex.routeId())
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS)
        .setAttribute(SpanAttributes.HTTP_METHOD, method)
        .setAttribute(SpanAttributes.REQUEST_ID, ex.requestId());
    setIfPresent(builder, SpanAttributes.URL_PATH, ex.request().path());
    setIfPresent(builder, SpanAttributes.URL_SCHEME, ex.request().scheme());
    setIfPresent(builder, SpanAttributes.SERVER_ADDRESS, ex.request().host());
    setIfPresent(builder, SpanAttributes.CLIENT_ADDRESS, ex.request().clientIp());
    setIfPresent(builder, SpanAttributes.USER_AGENT, ex.request().headers().get(HttpHeaders.USER_AGENT));
    Span span = ids.start(builder, trace.traceId(), trace.spanId());
    return span.isRecording() ? new OtelRequestSpan(tracer, span) : null;
  }

  private static void setIfPresent(
      SpanBuilder builder, io.opentelemetry.api.common.AttributeKey<String> key, String value) {
    if (value != null) {
      builder.setAttribute(key, value);
    }
  }
}
