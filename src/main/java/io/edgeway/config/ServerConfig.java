package io.edgeway.config;

import io.edgeway.http.Cidr;
import java.time.Duration;
import java.util.List;

/**
 * The client-facing listener.
 *
 * @param host address to bind; default {@code 0.0.0.0}
 * @param port 0..65535, default 8080 (0 = ephemeral, for tests)
 * @param instances event-loop verticles; default the number of available processors
 * @param trustedProxies networks whose {@code X-Forwarded-For} is believed; default none
 * @param shutdownGrace how long in-flight requests may finish on shutdown; default 30s
 * @param limits client limits; default {@link LimitsConfig#defaults()}
 * @param http2 HTTP/2 on this listener; default {@link Http2Config#defaults()} (off)
 */
public record ServerConfig(
    String host,
    Integer port,
    Integer instances,
    List<Cidr> trustedProxies,
    Duration shutdownGrace,
    LimitsConfig limits,
    Http2Config http2) {

  public ServerConfig {
    host = host == null ? "0.0.0.0" : ComponentChecks.host("host", host);
    port = port == null ? 8080 : ComponentChecks.range("port", port, 0, 65535);
    instances = instances == null ? Runtime.getRuntime().availableProcessors() : ComponentChecks.range("instances", instances, 1, 1024);
    trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(30) : ComponentChecks.notNegative("shutdown-grace", shutdownGrace);
    limits = limits == null ? LimitsConfig.defaults() : limits;
    http2 = http2 == null ? Http2Config.defaults() : http2;
  }

  /** A listener without an {@code http2} block. */
  public ServerConfig(
      String host, Integer port, Integer instances, List<Cidr> trustedProxies, Duration shutdownGrace,
      LimitsConfig limits) {
    this(host, port, instances, trustedProxies, shutdownGrace, limits, null);
  }

  /** All defaults. */
  public static ServerConfig defaults() {
    return new ServerConfig(null, null, null, null, null, null, null);
  }

  /** True when a connection from {@code address} (4 or 16 bytes) comes from a trusted proxy. */
  public boolean isTrustedProxy(byte[] address) {
    // Called per request: an index loop allocates no iterator.
    for (int i = 0; i < trustedProxies.size(); i++) {
      if (trustedProxies.get(i).contains(address)) {
        return true;
      }
    }
    return false;
  }
}
