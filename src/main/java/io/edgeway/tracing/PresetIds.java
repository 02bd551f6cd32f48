package io.edgeway.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Lets the SERVER span take the ids the gateway already chose for the request
 * ({@code http.TraceContext}: the trace id in the access log and the events, and the span id),
 * so what is exported matches what was logged and propagated. The SDK asks its
 * {@link IdGenerator} synchronously inside {@link SpanBuilder#startSpan()}, on the calling
 * thread; {@link #start} sets the ids for that one call. Every other span gets random ids.
 */
final class PresetIds implements IdGenerator {
  private static final IdGenerator RANDOM = IdGenerator.random();

  // [trace id, span id] for the startSpan() running on this thread, else nulls.
  private final ThreadLocal<String[]> preset = ThreadLocal.withInitial(() -> new String[2]);

  /** Starts {@code builder}'s span with these ids (the trace id is used only by a root span). */
  Span start(SpanBuilder builder, String traceId, String spanId) {
    String[] ids = preset.get();
    ids[0] = traceId;
    ids[1] = spanId;
    try {
      return builder.startSpan();
    } finally {
      ids[0] = null;
      ids[1] = null;
    }
  }

  @Override
  public String generateSpanId() {
    String id = preset.get()[1];
    return id != null ? id : RANDOM.generateSpanId();
  }

  @Override
  public String generateTraceId() {
    String id = preset.get()[0];
    return id != null ? id : RANDOM.generateTraceId();
  }
}
