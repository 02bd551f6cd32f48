package io.edgeway.config;

/**
 * The admin HTTP API listener.
 *
 * @param host address to bind; default {@code 127.0.0.1} (keep the admin API off public interfaces)
 * @param port 0..65535, default 9901 (0 = ephemeral, for tests)
 * @param enabled default true
 */
public record AdminConfig(String host, Integer port, Boolean enabled) {

  public AdminConfig {
    host = host == null ? "127.0.0.1" : ComponentChecks.host("host", host);
    port = port == null ? 9901 : ComponentChecks.range("port", port, 0, 65535);
    enabled = enabled == null ? Boolean.TRUE : enabled;
  }

  /** All defaults. */
  public static AdminConfig defaults() {
    return new AdminConfig(null, null, null);
  }
}
