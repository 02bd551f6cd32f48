package io.edgeway.cli;

import static java.util.Objects.requireNonNull;

import io.edgeway.runtime.Gateway;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a running gateway once, however many ways ask (SIGTERM handler, JVM shutdown hook):
 * not ready at once, keep accepting for the configured drain delay, stop accepting, let in-flight
 * requests finish up to the configured grace, close
 * Vert.x, then flush the operational log.
 */
final class GracefulShutdown {
  private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

  private final Gateway gateway;
  private final Vertx vertx;
  private Boolean clean; // null until the one stop has run; guarded by this

  GracefulShutdown(Gateway gateway, Vertx vertx) {
    this.gateway = requireNonNull(gateway, "gateway");
    this.vertx = requireNonNull(vertx, "vertx");
  }

  /**
   * Stops the gateway, or waits for the stop another thread began; true when everything closed
   * in time. Blocks: never call it on an event loop.
   */
  boolean stop(String why) {
    return stop(why, gateway.drainDelay());
  }

  /** As {@link #stop(String)}, with no drain delay: for a gateway no load balancer sends traffic to. */
  boolean stopWithoutDrainDelay(String why) {
    return stop(why, Duration.ZERO);
  }

  private synchronized boolean stop(String why, Duration drainDelay) {
    if (clean != null) {
      return clean;
    }
    log.info("shutting down ({}): not ready, accepting for the drain delay ({}), then draining in-flight "
        + "requests (grace {})", why, drainDelay, gateway.shutdownGrace());
    boolean ok = true;
    try {
      gateway.stop(drainDelay, gateway.shutdownGrace())
          .await(drainDelay.toMillis() + gateway.shutdownGrace().toMillis() + 5000, TimeUnit.MILLISECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
      log.info("stopped");
    } catch (Exception e) {
      ok = false;
      log.warn("shutdown did not complete cleanly: {}", e.toString());
    }
    flushLogs();
    clean = ok;
    return ok;
  }

  private static void flushLogs() {
    // Stopping logback's context flushes and closes its appenders. (The access log is not among
    // them: its writer drained when the gateway stopped.)
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
      context.stop();
    }
  }
}
