package io.edgeway.config;

import java.time.Duration;

/**
 * Upstream timeouts.
 *
 * @param connect TCP (and TLS) connect; default 5s
 * @param response until the response headers arrive (504 past it); default 15s
 * @param idle a pooled connection unused this long is closed; default 60s
 */
public record TimeoutsConfig(Duration connect, Duration response, Duration idle) {

  public TimeoutsConfig {
    connect = connect == null ? Duration.ofSeconds(5) : ComponentChecks.positive("connect", connect);
    response = response == null ? Duration.ofSeconds(15) : ComponentChecks.positive("response", response);
    idle = idle == null ? Duration.ofSeconds(60) : ComponentChecks.positive("idle", idle);
  }

  /** All defaults. */
  public static TimeoutsConfig defaults() {
    return new TimeoutsConfig(null, null, null);
  }
}
