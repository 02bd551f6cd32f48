package io.edgeway.config;

/**
 * The embedded echo service used for demos and smoke tests.
 *
 * @param enabled default false
 * @param host default {@code 127.0.0.1}
 * @param port 0..65535, default 9080
 */
public record DemoUpstreamConfig(Boolean enabled, String host, Integer port) {

  public DemoUpstreamConfig {
    enabled = enabled == null ? Boolean.FALSE : enabled;
    host = host == null ? "127.0.0.1" : ComponentChecks.host("host", host);
    port = port == null ? 9080 : ComponentChecks.range("port", port, 0, 65535);
  }

  /** All defaults (disabled). */
  public static DemoUpstreamConfig defaults() {
    return new DemoUpstreamConfig(null, null, null);
  }
}
