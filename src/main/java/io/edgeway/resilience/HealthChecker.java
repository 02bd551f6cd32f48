package io.edgeway.resilience;

import io.edgeway.config.HealthCheckConfig;
import io.edgeway.proxy.UpstreamTarget;
import io.edgeway.runtime.StateEvents;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of one upstream: every {@code interval}, a {@code GET path} to each target
 * on its own small client, from one Vert.x context (so the per-target counters have a single
 * writer), never on the request path. A 2xx or 3xx within {@code timeout} passes. Targets start
 * healthy; {@code unhealthy-after} failures in a row take one out, {@code healthy-after} passes in a
 * row put it back.
 */
final class HealthChecker {
  private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

  private static final class Check {
    final UpstreamTarget target;
    volatile int passes;
    volatile int failures;
    volatile long checks;
    volatile String lastResult = "pending";
    boolean inFlight;

    Check(UpstreamTarget target) {
      this.target = target;
    }
  }

  private final String routeId;
  private final HealthCheckConfig config;
  private final List<Check> checks;
  private final StateEvents events;
  private final Vertx vertx;
  private final Context context;
  private final HttpClientAgent client;
  private volatile boolean closed;
  private long timerId = -1;

  HealthChecker(Vertx vertx, String routeId, List<UpstreamTarget> targets, HealthCheckConfig config,
      StateEvents events, io.edgeway.proxy.UpstreamTls tls) {
    this.vertx = vertx;
    this.routeId = routeId;
    this.config = config;
    this.events = events;
    this.checks = targets.stream().map(Check::new).toList();
    this.context = vertx.getOrCreateContext();
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true)
        .setConnectTimeout((int) config.timeout().toMillis()).setMaxHeaderSize(32 * 1024).setDecompressionSupported(false);
    // Probes verify https:// targets exactly as the proxied requests do (CA bundle, client certificate).
    tls.applyTo(options, targets);
    this.client = vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp1MaxSize(1).setMaxWaitQueueSize(targets.size() * 2))
        .build();
  }

  /** Runs the first round at once, then one every interval. */
  void start() {
    context.runOnContext(v -> {
      if (closed) {
        return;
      }
      round();
      timerId = vertx.setPeriodic(config.interval().toMillis(), id -> round());
    });
  }

  private void round() {
    if (closed) {
      return;
    }
    for (Check check : checks) {
      if (!check.inFlight) {
        probe(check);
      }
    }
  }

  private void probe(Check check) {
    UpstreamTarget t = check.target;
    check.inFlight = true;
    long timeout = config.timeout().toMillis();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(t.host())
        .setPort(t.port())
        .setSsl(t.ssl())
        .setURI(config.path())
        .putHeader("Host", t.hostHeader())
        .putHeader("User-Agent", "edgeway-health-check")
        .setConnectTimeout(timeout)
        .setIdleTimeout(timeout);
    client.request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.end().map(v -> resp.statusCode()))
        .onComplete(ar -> {
          check.inFlight = false;
          if (closed) {
            return;
          }
          int status = ar.succeeded() ? ar.result() : 0;
          boolean passed = status >= 200 && status < 400;
          record(check, passed, ar.succeeded() ? "status " + status : String.valueOf(ar.cause()));
        });
  }

  private void record(Check check, boolean passed, String result) {
    check.checks++;
    check.lastResult = result;
    UpstreamTarget t = check.target;
    if (passed) {
      check.failures = 0;
      check.passes++;
      if (check.passes >= config.healthyAfter() && !t.isHealthy() && t.markHealthy(true)) {
        log.info("route {}: target {} healthy again after {} passed checks", routeId, t, check.passes);
        publish("target.restored", t, Map.of("route", routeId, "reason", "health-check", "passes", check.passes));
      }
    } else {
      check.passes = 0;
      check.failures++;
      if (check.failures >= config.unhealthyAfter() && t.isHealthy() && t.markHealthy(false)) {
        log.warn("route {}: target {} unhealthy after {} failed checks ({})", routeId, t, check.failures, result);
        publish("target.ejected", t, Map.of("route", routeId, "reason", "health-check", "failures", check.failures,
            "lastResult", result));
      }
    }
  }

  private void publish(String type, UpstreamTarget target, Map<String, Object> data) {
    TargetEvents.publish(events, log, type, target, data);
  }

  Map<String, Object> describe(UpstreamTarget target) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Check c : checks) {
      if (c.target == target) {
        out.put("checks", c.checks);
        out.put("consecutivePasses", c.passes);
        out.put("consecutiveFailures", c.failures);
        out.put("lastResult", c.lastResult);
      }
    }
    return out;
  }

  void close() {
    closed = true;
    context.runOnContext(v -> {
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
      }
      client.close();
    });
  }
}
