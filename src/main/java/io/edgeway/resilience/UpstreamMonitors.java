package io.edgeway.resilience;

import io.edgeway.config.UpstreamConfig;
import io.edgeway.proxy.TargetMonitor;
import io.edgeway.proxy.UpstreamTarget;
import io.edgeway.runtime.StateEvents;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link TargetMonitor} of an upstream from its {@code outlier-detection} and
 * {@code health-check} settings; the route compiler calls {@link #create} once per upstream and
 * the upstream closes it (stopping the health-check timer) when its snapshot is closed.
 */
public final class UpstreamMonitors {
  private UpstreamMonitors() {}

  /** The upstream's monitor, {@link TargetMonitor#NONE} when neither feature is configured. */
  public static TargetMonitor create(
      Vertx vertx, String routeId, List<UpstreamTarget> targets, UpstreamConfig config, StateEvents events) {
    if (config.outlierDetection() == null && config.healthCheck() == null) {
      return TargetMonitor.NONE;
    }
    OutlierDetector outliers = config.outlierDetection() == null ? null
        : new OutlierDetector(routeId, targets, config.outlierDetection(), System::nanoTime, Timers.of(vertx), events);
    HealthChecker health = config.healthCheck() == null ? null
        : new HealthChecker(vertx, routeId, targets, config.healthCheck(), events,
            io.edgeway.proxy.UpstreamTls.of(config.tls()));
    if (health != null) {
      health.start();
    }
    return new Monitor(outliers, health);
  }

  /** Per-target details for the admin API (empty for an upstream without a monitor). */
  public static Map<String, Object> describe(TargetMonitor monitor, UpstreamTarget target) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (monitor instanceof Monitor m) {
      if (m.outliers != null) {
        out.put("outlierDetection", m.outliers.describe(target));
      }
      if (m.health != null) {
        out.put("healthCheck", m.health.describe(target));
      }
    }
    return out;
  }

  record Monitor(OutlierDetector outliers, HealthChecker health) implements TargetMonitor {
    @Override
    public void attemptSucceeded(UpstreamTarget target) {
      if (outliers != null) {
        outliers.succeeded(target);
      }
    }

    @Override
    public void attemptFailed(UpstreamTarget target) {
      if (outliers != null) {
        outliers.failed(target);
      }
    }

    @Override
    public void takeOver(TargetMonitor previous) {
      if (previous instanceof Monitor before && before.outliers != null && outliers != null) {
        outliers.takeOver(before.outliers);
      }
    }

    @Override
    public void close() {
      if (outliers != null) {
        outliers.close();
      }
      if (health != null) {
        health.close();
      }
    }
  }
}
