package io.edgeway.tracing;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.DefaultGatewayRequest;
import io.edgeway.exchange.RequestSpan;
import io.edgeway.exchange.SpanHandle;
import io.edgeway.http.TraceContext;
import io.edgeway.spi.Body;
import io.edgeway.spi.ExchangeOutcome;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What tracing costs on the event loop per request: the SERVER span started and ended plus one
 * upstream attempt's CLIENT span (with its traceparent), sampled ({@code ratio=1}) or sampled out
 * ({@code ratio=0}), through the real SDK and a BatchSpanProcessor whose exporter discards (the
 * export itself runs on the processor's thread). Each operation starts a new trace, as
 * {@code TraceContext.fromHeader(null)} does for a request without traceparent; {@code baseline}
 * is that alone. Run: {@code java -cp ... io.edgeway.tracing.TracingBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TracingBenchmark {

  @Param({"1", "0"})
  public double ratio;

  private SdkTracerProvider provider;
  private OtelRequestTracer tracer;
  private DefaultExchange exchange;
  private final ExchangeOutcome outcome = new ExchangeOutcome(200, null, 0, 512, 1_000_000, false);

  @Setup(Level.Trial)
  public void setUp() {
    PresetIds ids = new PresetIds();
    SpanExporter discard = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    provider = SdkTracerProvider.builder().setResource(Resource.getDefault())
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(ratio))).setIdGenerator(ids)
        .addSpanProcessor(BatchSpanProcessor.builder(discard).build()).build();
    tracer = new OtelRequestTracer(provider.get("io.edgeway"), ids, Clock.getDefault());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("User-Agent", "bench/1");
    DefaultGatewayRequest request = new DefaultGatewayRequest(HttpMethod.GET, "/orders/7", "/orders/7", null,
        "api.example.com", "http", "203.0.113.9", Map.of(), headers, Body.empty());
    exchange = new DefaultExchange("req-1", "0".repeat(32), null, "orders", request, null, 0, System.nanoTime());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  @Benchmark
  public Object baseline() {
    return TraceContext.fromHeader(null);
  }

  @Benchmark
  public Object tracedRequest() {
    TraceContext trace = TraceContext.fromHeader(null);
    RequestSpan span = tracer.start(exchange, trace);
    if (span == null) {
      return trace;
    }
    SpanHandle attempt = span.startUpstreamAttempt("GET", "http://127.0.0.1:9001", "127.0.0.1", 9001, "/orders/7", 1);
    String traceparent = attempt.traceparent();
    attempt.attribute("http.response.status_code", 200).end(null);
    span.end(exchange, outcome);
    return traceparent;
  }

  public static void main(String[] args) throws CommandLineOptionException, RunnerException {
    Options options = new OptionsBuilder()
        .parent(new CommandLineOptions(args))
        .include(TracingBenchmark.class.getName() + ".*")
        .build();
    new Runner(options).run();
  }
}
