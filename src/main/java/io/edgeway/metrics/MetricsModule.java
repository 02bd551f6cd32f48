package io.edgeway.metrics;

import io.edgeway.admin.AdminServer;
import io.edgeway.config.ConfigSection;
import io.edgeway.runtime.CompiledRoute;
import io.edgeway.runtime.GatewayModule;
import io.edgeway.runtime.GatewayRuntime;
import io.edgeway.runtime.MetricSource;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus metrics: owns the top-level {@code metrics} section, records every completed
 * request ({@link RequestMetrics}), reads the core's state and the other modules'
 * {@link MetricSource}s at scrape time, binds Micrometer's JVM and process meters, and answers
 * {@code GET /metrics} on the admin port in the Prometheus text format. Names: docs/metrics.md.
 */
public final class MetricsModule implements GatewayModule {
  private static final Logger log = LoggerFactory.getLogger(MetricsModule.class);
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private volatile PrometheusMeterRegistry registry;

  @Override
  public String name() {
    return "metrics";
  }

  @Override
  public Optional<ConfigSection<?>> section() {
    return Optional.of(MetricsConfig.SECTION);
  }

  @Override
  public Future<Void> start(Context context) {
    MetricsConfig config = context.config().section(MetricsConfig.SECTION);
    if (!config.enabled()) {
      log.info("metrics disabled (metrics.enabled: false): nothing recorded, no /metrics");
      return Future.succeededFuture();
    }
    // On a worker: the registry and the JVM binders load a few hundred classes and read MXBeans,
    // which on a busy machine is enough to trip the blocked-thread checker on an event loop.
    return context.vertx().executeBlocking(() -> {
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      List<MeterBinder> binders = List.of(new ClassLoaderMetrics(), new JvmMemoryMetrics(), new GcMeters(),
          new JvmThreadMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics());
      binders.forEach(b -> b.bindTo(meters));
      // Loads what the first request records into, here rather than on a loop. (The first scrape
      // runs on a worker, so it is not warmed up here: start-up is shorter without it.)
      RequestMetrics requests = new RequestMetrics(meters, config.buckets());
      this.registry = meters;
      return requests;
    }, false).map(requests -> {
      PrometheusMeterRegistry meters = registry;
      GatewayRuntime runtime = context.runtime();
      runtime.addObserver(requests);
      AdminServer admin = context.admin();
      if (admin != null) {
        Scrape scrape = new Scrape(meters, requests, new SampledMeters(meters), new CoreMetrics(runtime), runtime);
        Vertx vertx = context.vertx();
        admin.registerHandler(HttpMethod.GET, "/metrics", req -> scrape.answer(vertx, req));
      }
      return null;
    });
  }

  /** One {@code GET /metrics}: sources read and the text written on a worker (it walks every meter). */
  private record Scrape(PrometheusMeterRegistry meters, RequestMetrics requests, SampledMeters sampled,
      CoreMetrics core, GatewayRuntime runtime) {

    void answer(Vertx vertx, HttpServerRequest req) {
      vertx.executeBlocking(this::text, false).onComplete(ar -> {
        if (ar.failed()) {
          AdminServer.failed(req, ar.cause());
          return;
        }
        req.response().putHeader("Content-Type", CONTENT_TYPE).end(ar.result());
      });
    }

    private String text() {
      Set<String> live = runtime.snapshot().routes().stream().map(CompiledRoute::id).collect(Collectors.toSet());
      requests.retainRoutes(live);
      List<MetricSource> sources = new ArrayList<>(runtime.metricSources().size() + 1);
      sources.add(core);
      sources.addAll(runtime.metricSources());
      sampled.refresh(sources);
      StringBuilder text = new StringBuilder(meters.scrape());
      core.appendInfo(text);
      return text.toString();
    }
  }

  @Override
  public Future<Void> stop() {
    PrometheusMeterRegistry meters = registry;
    if (meters != null) {
      meters.close();
    }
    return Future.succeededFuture();
  }
}
