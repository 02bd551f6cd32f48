package io.edgeway.runtime;

import io.edgeway.config.UpstreamConfig;
import io.edgeway.proxy.TargetMonitor;
import io.edgeway.proxy.UpstreamTarget;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Builds the {@link TargetMonitor} of an upstream (outlier detection, active health checks) from
 * its {@code outlier-detection} and {@code health-check} settings. A module registers one as a
 * service ({@link GatewayServices}); without one, upstreams are not monitored. The route compiler
 * calls it once per upstream, and the upstream closes the monitor with its snapshot.
 */
@FunctionalInterface
public interface TargetMonitorFactory {

  /** No monitoring: what an upstream gets when no module offers a factory. */
  TargetMonitorFactory NONE = (vertx, routeId, targets, config, events) -> TargetMonitor.NONE;

  /**
   * @param events where state changes (ejected, restored) go; null when no sink is registered
   */
  TargetMonitor create(Vertx vertx, String routeId, List<UpstreamTarget> targets, UpstreamConfig config,
      StateEvents events);
}
