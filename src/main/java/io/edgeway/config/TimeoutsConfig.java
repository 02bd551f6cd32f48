package io.edgeway.config;

import java.time.Duration;

/**
 * Upstream timeouts.
 *
 * @param connect TCP (and TLS) connect; default 5s
 * @param response from the end of the request (the last body byte handed to the upstream) until
 *     the response headers arrive (504 past it); default 15s
 * @param idle a pooled connection unused this long is closed; default 60s
 * @param requestBody the whole client upload, from the gateway's first read of the body to its
 *     end (408 past it, the upstream request reset); default 60s
 */
public record TimeoutsConfig(Duration connect, Duration response, Duration idle, Duration requestBody) {

  public TimeoutsConfig {
    connect = connect == null ? Duration.ofSeconds(5) : ComponentChecks.positive("connect", connect);
    response = response == null ? Duration.ofSeconds(15) : ComponentChecks.positive("response", response);
    idle = idle == null ? Duration.ofSeconds(60) : ComponentChecks.positive("idle", idle);
    requestBody = requestBody == null ? Duration.ofSeconds(60) : ComponentChecks.positive("request-body", requestBody);
  }

  /** All defaults. */
  public static TimeoutsConfig defaults() {
    return new TimeoutsConfig(null, null, null, null);
  }
}
