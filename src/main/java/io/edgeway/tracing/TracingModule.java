package io.edgeway.tracing;

import io.edgeway.config.ConfigSection;
import io.edgeway.exchange.RequestSpan;
import io.edgeway.runtime.GatewayModule;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Span export (issue 15). When the {@code tracing} section is enabled: builds an SDK tracer
 * provider (parent-based ratio sampler, the gateway's ids for SERVER spans) whose
 * {@link BatchSpanProcessor} exports over OTLP/HTTP from its own thread, through the JDK's
 * HttpClient; installs the request tracer and an observer that ends each SERVER span. Ending a
 * span only queues it (a full queue drops it): the event loops never wait on the collector.
 * When disabled, nothing is built and the core makes no span object.
 */
public final class TracingModule implements GatewayModule {
  private static final Logger log = LoggerFactory.getLogger(TracingModule.class);
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private volatile SdkTracerProvider provider;
  // The stop waits at most this long for the last export (the exporter retries an unreachable
  // collector with backoff, which could otherwise hold the shutdown much longer).
  private volatile long shutdownMillis;

  @Override
  public String name() {
    return "tracing";
  }

  @Override
  public Optional<ConfigSection<?>> section() {
    return Optional.of(TracingConfig.SECTION);
  }

  @Override
  public Future<Void> start(Context context) {
    TracingConfig config = context.config().section(TracingConfig.SECTION);
    if (!config.enabled()) {
      return Future.succeededFuture();
    }
    PresetIds ids = new PresetIds();
    // The exporter's HttpClient and the processor's thread are made off the event loop.
    return context.vertx().executeBlocking(() -> provider(config, ids), false).map(p -> {
      provider = p;
      shutdownMillis = config.timeout().toMillis();
      context.runtime().tracer(new OtelRequestTracer(p.get("io.edgeway"), ids, Clock.getDefault()));
      context.runtime().addObserver((exchange, outcome) -> {
        RequestSpan span = exchange.get(RequestSpan.KEY);
        if (span != null) {
          span.end(exchange, outcome);
        }
      });
      log.info("tracing: spans to {} (service {}, sampling ratio {})", config.endpoint(), config.serviceName(),
          config.samplingRatio());
      return null;
    });
  }

  static SdkTracerProvider provider(TracingConfig config, PresetIds ids) {
    OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(config.endpoint())
        .setTimeout(config.timeout());
    config.headers().forEach(exporter::addHeader);
    BatchSpanProcessor processor = BatchSpanProcessor.builder(exporter.build())
        .setScheduleDelay(config.exportInterval())
        .setMaxQueueSize(config.maxQueueSize())
        .setMaxExportBatchSize(Math.min(512, config.maxQueueSize()))
        .setExporterTimeout(config.timeout())
        .build();
    return SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, config.serviceName()))))
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.samplingRatio())))
        .setIdGenerator(ids)
        .addSpanProcessor(processor)
        .build();
  }

  /** Exports what is queued (bounded), then stops the processor's thread. */
  @Override
  public Future<Void> stop() {
    SdkTracerProvider p = provider;
    if (p == null) {
      return Future.succeededFuture();
    }
    provider = null;
    Promise<Void> promise = Promise.promise();
    CompletableResultCode shutdown = p.shutdown();
    shutdown.whenComplete(() -> {
      if (!shutdown.isSuccess()) {
        log.warn("tracing: spans still queued at shutdown were not all exported");
      }
      promise.tryComplete();
    });
    return promise.future().timeout(shutdownMillis, TimeUnit.MILLISECONDS).recover(e -> {
      log.warn("tracing: the last export did not finish within {} ms; remaining spans dropped", shutdownMillis);
      return Future.succeededFuture();
    });
  }
}
