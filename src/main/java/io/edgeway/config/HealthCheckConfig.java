package io.edgeway.config;

import java.time.Duration;

/**
 * Active health checks of an upstream's targets: a {@code GET} of {@code path} on every target
 * every {@code interval}, on a timer, never on the request path. A target that fails
 * {@code unhealthyAfter} checks in a row is taken out of the balancer; one that passes
 * {@code healthyAfter} checks in a row is put back. A check passes on a 2xx or 3xx status within
 * {@code timeout}.
 *
 * @param path the path requested; default {@code /health}
 * @param interval time between checks of one target; default 5s
 * @param timeout how long one check may take; default 2s (at most the interval)
 * @param unhealthyAfter consecutive failed checks that mark a target unhealthy; default 3
 * @param healthyAfter consecutive passed checks that mark it healthy again; default 2
 */
public record HealthCheckConfig(
    String path, Duration interval, Duration timeout, Integer unhealthyAfter, Integer healthyAfter) {

  public HealthCheckConfig {
    path = path == null ? "/health" : path;
    if (!path.startsWith("/") || !ComponentChecks.isFieldValue(path) || path.indexOf(' ') >= 0) {
      throw new IllegalArgumentException("path: " + path + " (expected: a path starting with /, such as /health)");
    }
    interval = interval == null ? Duration.ofSeconds(5) : ComponentChecks.positive("interval", interval);
    timeout = timeout == null ? (interval.compareTo(Duration.ofSeconds(2)) < 0 ? interval : Duration.ofSeconds(2))
        : ComponentChecks.positive("timeout", timeout);
    if (timeout.compareTo(interval) > 0) {
      throw new IllegalArgumentException("timeout: " + timeout.toMillis() + "ms (expected: at most the interval, "
          + interval.toMillis() + "ms)");
    }
    unhealthyAfter = unhealthyAfter == null ? 3 : ComponentChecks.range("unhealthy-after", unhealthyAfter, 1, 100);
    healthyAfter = healthyAfter == null ? 2 : ComponentChecks.range("healthy-after", healthyAfter, 1, 100);
  }
}
