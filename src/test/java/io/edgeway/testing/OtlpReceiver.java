package io.edgeway.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A minimal OTLP/HTTP trace receiver on 127.0.0.1 (port 0): accepts {@code POST /v1/traces}
 * with a protobuf {@code ExportTraceServiceRequest}, as a collector does, and keeps every span.
 */
public final class OtlpReceiver implements AutoCloseable {
  /** One received span, with ids as lower-case hex and attributes as strings. */
  public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, Span.SpanKind kind,
      Map<String, String> attributes, Map<String, String> resource, int statusCode) {

    public String attribute(String key) {
      return attributes.get(key);
    }
  }

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();

  private OtlpReceiver(Vertx vertx) throws Exception {
    server = vertx.createHttpServer().requestHandler(req -> {
      if (!"/v1/traces".equals(req.path()) || req.method() != io.vertx.core.http.HttpMethod.POST) {
        req.response().setStatusCode(404).end();
        return;
      }
      contentTypes.add(req.getHeader("Content-Type"));
      req.body().onSuccess(body -> {
        try {
          record(ExportTraceServiceRequest.parseFrom(body.getBytes()));
          req.response().putHeader("Content-Type", "application/x-protobuf")
              .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
        } catch (Exception e) {
          req.response().setStatusCode(400).end();
        }
      });
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  public static OtlpReceiver start(Vertx vertx) throws Exception {
    return new OtlpReceiver(vertx);
  }

  /** The traces endpoint to configure as {@code tracing.endpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1/traces";
  }

  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** The Content-Type of every export received. */
  public List<String> contentTypes() {
    return List.copyOf(contentTypes);
  }

  /** Waits up to {@code millis} until at least {@code count} spans match, and returns those that do. */
  public List<ReceivedSpan> await(Predicate<ReceivedSpan> match, int count, long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    List<ReceivedSpan> found = matching(match);
    while (found.size() < count && System.nanoTime() < end) {
      Thread.sleep(10);
      found = matching(match);
    }
    return found;
  }

  /** The spans of one trace, once at least {@code count} of them arrived (bounded wait). */
  public List<ReceivedSpan> awaitTrace(String traceId, int count) throws InterruptedException {
    return await(s -> s.traceId().equals(traceId), count, 10_000);
  }

  private List<ReceivedSpan> matching(Predicate<ReceivedSpan> match) {
    return spans.stream().filter(match).collect(Collectors.toList());
  }

  private void record(ExportTraceServiceRequest request) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, String> resource = strings(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          spans.add(new ReceivedSpan(hex(s.getTraceId()), hex(s.getSpanId()), hex(s.getParentSpanId()), s.getName(),
              s.getKind(), strings(s.getAttributesList()), resource, s.getStatus().getCodeValue()));
        }
      }
    }
  }

  private static String hex(ByteString bytes) {
    return bytes.isEmpty() ? null : HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static Map<String, String> strings(List<KeyValue> attributes) {
    return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> text(kv.getValue()), (a, b) -> b));
  }

  private static String text(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> Long.toString(v.getIntValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      default -> v.toString();
    };
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }
}
