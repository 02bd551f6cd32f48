package io.edgeway.metrics;

import static java.util.Objects.requireNonNull;

import io.edgeway.proxy.PoolStats;
import io.edgeway.proxy.Upstream;
import io.edgeway.proxy.UpstreamTarget;
import io.edgeway.runtime.CompiledRoute;
import io.edgeway.runtime.ConfigReloadStats;
import io.edgeway.runtime.ConfigVersion;
import io.edgeway.runtime.GatewayRuntime;
import io.edgeway.runtime.MetricSink;
import io.edgeway.runtime.MetricSource;
import io.edgeway.runtime.RouteSnapshot;

/**
 * What the core knows, read from the running route snapshot at scrape time: each route's
 * upstream targets (connections, waiters, connect failures, availability) and the running
 * configuration. Routes and targets come from the configuration, so the series are bounded by it.
 */
final class CoreMetrics implements MetricSource {
  private final GatewayRuntime runtime;

  CoreMetrics(GatewayRuntime runtime) {
    this.runtime = requireNonNull(runtime, "runtime");
  }

  @Override
  public void collect(MetricSink sink) {
    RouteSnapshot snapshot = runtime.snapshot();
    for (CompiledRoute route : snapshot.routes()) {
      Upstream upstream = route.upstream();
      for (UpstreamTarget target : upstream.targets()) {
        String id = route.id();
        String url = target.url();
        PoolStats pool = upstream.poolStats(target);
        sink.gauge("edgeway_upstream_connections", "Upstream connections by state (in_use includes those opening)",
            pool.inUse(), "route", id, "target", url, "state", "in_use");
        sink.gauge("edgeway_upstream_connections", "Upstream connections by state (in_use includes those opening)",
            pool.idle(), "route", id, "target", url, "state", "idle");
        sink.gauge("edgeway_upstream_waiters", "Requests waiting for an upstream connection (pool at its bound)",
            pool.waiters(), "route", id, "target", url);
        sink.counter("edgeway_upstream_connect_failures_total", "Upstream connections that could not be opened",
            target.connectFailures(), "route", id, "target", url);
        sink.gauge("edgeway_upstream_target_healthy",
            "1 while the target takes traffic; 0 while it fails health checks, is ejected or disabled",
            target.isAvailable() ? 1 : 0, "route", id, "target", url);
        sink.gauge("edgeway_upstream_target_ejected", "1 while outlier detection keeps the target out",
            target.isEjected() ? 1 : 0, "route", id, "target", url);
        sink.gauge("edgeway_upstream_in_flight", "Requests in flight to the target",
            target.inFlight(), "route", id, "target", url);
      }
    }
    sink.gauge("edgeway_routes", "Routes in the running configuration", snapshot.routes().size());
    sink.gauge("edgeway_config_loaded_timestamp_seconds", "When the running configuration was loaded (Unix time)",
        snapshot.loadedAt().toEpochMilli() / 1000.0);
    ConfigReloadStats reloads = runtime.reloadStats();
    String help = "Configuration reloads by result (file change, SIGHUP, POST /config/reload)";
    sink.counter("edgeway_config_reloads_total", help, reloads.successes(), "result", "success");
    sink.counter("edgeway_config_reloads_total", help, reloads.failures(), "result", "failure");
  }

  /**
   * Writes {@code edgeway_config_info}. Written here rather than through Micrometer because the
   * Prometheus client strips the {@code _info} suffix from a gauge's name, and the name is a
   * published contract.
   */
  void appendInfo(StringBuilder text) {
    ConfigVersion running = runtime.reloadStats().running();
    text.append("# HELP edgeway_config_info Always 1; the labels describe the running configuration\n")
        .append("# TYPE edgeway_config_info gauge\n")
        .append("edgeway_config_info{version=\"");
    escapeLabelValue(text, running.hash());
    text.append("\",source=\"");
    escapeLabelValue(text, running.source());
    text.append("\"} 1.0\n");
  }

  /** The text format's escapes inside a label value: backslash, double quote, line feed. */
  static void escapeLabelValue(StringBuilder text, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '"' -> text.append("\\\"");
        case '\n' -> text.append("\\n");
        default -> text.append(c);
      }
    }
  }
}
