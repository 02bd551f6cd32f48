package io.edgeway.tracing;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.runtime.RequestTracer;
import io.edgeway.testing.AccessLogLines;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.OtlpReceiver;
import io.edgeway.testing.OtlpReceiver.ReceivedSpan;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans through a running gateway, received by a real OTLP/HTTP receiver: parentage, kinds,
 * attributes, the traceparent the upstream saw, retries, sampling and the disabled case.
 */
class TracingEndToEndTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  @TempDir Path dir;
  private Vertx vertx;
  private TestUpstream upstream;
  private OtlpReceiver receiver;
  private TestGateway gateway;
  private HttpClient client;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
    receiver = OtlpReceiver.start(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    receiver.close();
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void startGateway(String tracing, String filters) throws Exception {
    gateway = TestGateway.start(vertx, """
        %s
        access-log: { output: file, file: { path: "%s" } }
        routes:
          - id: app
            match: { path: /app/** }
            upstream: { targets: [ { url: %s } ] }
            filters: %s
        """.formatted(tracing, accessLog(), upstream.url(), filters));
    client = gateway.client(vertx);
  }

  private Path accessLog() {
    return dir.resolve("access.log");
  }

  private String tracing(String extra) {
    return "tracing: { endpoint: \"%s\", service-name: edgeway-test, export-interval: 50ms%s }"
        .formatted(receiver.endpoint(), extra);
  }

  private int get(String uri, String... headers) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI(uri);
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    return OnContext.await(vertx, () -> client.request(options).compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode())), 20);
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, SpanKind kind) {
    List<ReceivedSpan> of = spans.stream().filter(s -> s.kind() == kind).toList();
    assertThat(of).as("%s spans in %s", kind, spans).hasSize(1);
    return of.get(0);
  }

  @Test
  void aRequestIsAServerSpanUnderTheCallerAndItsUpstreamCallAClientSpanTheUpstreamContinues() throws Exception {
    startGateway(tracing(""), "[]");
    assertThat(get("/app/hello?x=1", "traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01",
        "User-Agent", "curl/8")).isEqualTo(200);
    JsonObject line = AccessLogLines.await(accessLog(), 1, 10_000).get(0);
    assertThat(line.getString("traceId")).isEqualTo(TRACE);
    List<ReceivedSpan> spans = receiver.awaitTrace(TRACE, 2);
    assertThat(spans).hasSize(2);
    ReceivedSpan server = only(spans, SpanKind.SPAN_KIND_SERVER);
    ReceivedSpan client = only(spans, SpanKind.SPAN_KIND_CLIENT);

    assertThat(server.parentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(server.name()).isEqualTo("GET app");
    assertThat(server.attributes()).containsEntry("http.request.method", "GET")
        .containsEntry("http.response.status_code", "200").containsEntry("edgeway.route", "app")
        .containsEntry("edgeway.upstream.target", upstream.url()).containsEntry("url.path", "/app/hello")
        .containsEntry("user_agent.original", "curl/8").containsEntry("edgeway.upstream.attempts", "1")
        .doesNotContainKey("edgeway.error_code").doesNotContainKey("error.type");
    assertThat(server.resource()).containsEntry("service.name", "edgeway-test");

    assertThat(client.parentSpanId()).isEqualTo(server.spanId());
    assertThat(client.name()).isEqualTo("GET");
    assertThat(client.attributes()).containsEntry("http.response.status_code", "200")
        .containsEntry("server.address", "127.0.0.1").containsEntry("server.port", Integer.toString(upstream.port()))
        .containsEntry("url.full", upstream.url() + "/app/hello").containsEntry("edgeway.upstream.attempt", "1");
    // The upstream's own span will be the child of the gateway's CLIENT span.
    assertThat(upstream.last().headers().get("traceparent")).isEqualTo("00-" + TRACE + "-" + client.spanId() + "-01");
    assertThat(receiver.contentTypes()).allMatch("application/x-protobuf"::equals);
  }

  @Test
  void eachRetryIsAClientSpanAndItsUpstreamRequestNamesIt() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    upstream.respondWith(req -> req.response().setStatusCode(calls.incrementAndGet() == 1 ? 503 : 200).end("x"));
    startGateway(tracing(""), "[ { retry: { attempts: 2, on: [\"503\"], backoff: { initial: 1ms, max: 1ms } } } ]");
    assertThat(get("/app/r", "traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01")).isEqualTo(200);

    List<ReceivedSpan> spans = receiver.awaitTrace(TRACE, 3);
    ReceivedSpan server = only(spans, SpanKind.SPAN_KIND_SERVER);
    List<ReceivedSpan> attempts = spans.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_CLIENT)
        .sorted(java.util.Comparator.comparing(s -> s.attribute("edgeway.upstream.attempt"))).toList();
    assertThat(attempts).hasSize(2).allMatch(s -> server.spanId().equals(s.parentSpanId()));
    assertThat(attempts.get(0).attributes()).containsEntry("http.response.status_code", "503")
        .containsEntry("error.type", "503").doesNotContainKey("http.request.resend_count");
    assertThat(attempts.get(1).attributes()).containsEntry("http.response.status_code", "200")
        .containsEntry("http.request.resend_count", "1");
    assertThat(upstream.received()).extracting(r -> r.headers().get("traceparent")).containsExactly(
        "00-" + TRACE + "-" + attempts.get(0).spanId() + "-01", "00-" + TRACE + "-" + attempts.get(1).spanId() + "-01");
    assertThat(server.attributes()).containsEntry("edgeway.upstream.attempts", "2");
  }

  @Test
  void aNewTraceKeepsTheTraceIdTheAccessLogShowsAndAGatewayErrorIsRecorded() throws Exception {
    startGateway(tracing(""), "[]");
    assertThat(get("/nowhere")).isEqualTo(404);
    String traceId = AccessLogLines.await(accessLog(), 1, 10_000).get(0).getString("traceId");
    List<ReceivedSpan> spans = receiver.awaitTrace(traceId, 1);
    ReceivedSpan server = only(spans, SpanKind.SPAN_KIND_SERVER);
    assertThat(server.parentSpanId()).isNull();
    assertThat(server.name()).isEqualTo("GET");
    assertThat(server.attributes()).containsEntry("http.response.status_code", "404")
        .containsEntry("edgeway.error_code", "no_route").doesNotContainKey("edgeway.route");
  }

  @Test
  void sampledOutRequestsExportNothingAndTheirUpstreamKeepsTheNotSampledFlag() throws Exception {
    startGateway(tracing(", sampling-ratio: 0"), "[]");
    // The caller did not sample: neither does the gateway, whatever its ratio.
    assertThat(get("/app/a", "traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-00")).isEqualTo(200);
    String notSampled = upstream.last().headers().get("traceparent");
    assertThat(notSampled).startsWith("00-" + TRACE + "-").endsWith("-00").doesNotContain(CALLER_SPAN);
    // A new trace under ratio 0: not sampled either.
    assertThat(get("/app/b")).isEqualTo(200);
    assertThat(upstream.last().headers().get("traceparent")).endsWith("-00");
    // The caller sampled: the gateway follows (parent-based), and that trace is exported. Spans
    // are exported in the order they end, so the earlier requests' would have arrived first.
    String sampledTrace = "0af7651916cd43dd8448eb211c80319c";
    assertThat(get("/app/c", "traceparent", "00-" + sampledTrace + "-" + CALLER_SPAN + "-01")).isEqualTo(200);
    assertThat(receiver.awaitTrace(sampledTrace, 2)).hasSize(2);
    assertThat(receiver.spans()).allMatch(s -> s.traceId().equals(sampledTrace));
  }

  @Test
  void withoutATracingSectionNoTracerIsInstalledAndTheUpstreamGetsTheGatewaysSpan() throws Exception {
    startGateway("", "[]");
    assertThat(gateway.gateway().runtime().tracer()).isSameAs(RequestTracer.NONE);
    assertThat(get("/app/a", "traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01")).isEqualTo(200);
    assertThat(upstream.last().headers().get("traceparent")).matches("00-" + TRACE + "-[0-9a-f]{16}-01")
        .doesNotContain(CALLER_SPAN);
  }

  @Test
  void aDisabledSectionInstallsNothingEither() throws Exception {
    startGateway(tracing(", enabled: false"), "[]");
    assertThat(gateway.gateway().runtime().tracer()).isSameAs(RequestTracer.NONE);
    int observers = gateway.gateway().runtime().observers().size();
    assertThat(get("/app/a")).isEqualTo(200);
    assertThat(gateway.gateway().runtime().observers()).hasSize(observers);
  }
}
