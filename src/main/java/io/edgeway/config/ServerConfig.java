package io.edgeway.config;

import io.edgeway.http.Cidr;
import java.time.Duration;
import java.util.List;

/**
 * The client-facing listeners and what they share.
 *
 * <p>Either {@code host}/{@code port}/{@code tls} (one listener, the historical shape) or a
 * {@code listeners} list (several, e.g. 80 and 443), never both: {@link #listeners()} is always
 * the effective list, and {@code host}/{@code port} are then those of its first entry.
 *
 * @param host address to bind; default {@code 0.0.0.0}
 * @param port 0..65535, default 8080 (0 = ephemeral, for tests)
 * @param instances event-loop verticles; default the number of available processors
 * @param trustedProxies networks whose {@code X-Forwarded-For} is believed; default none
 * @param shutdownGrace how long in-flight requests may finish on shutdown; default 30s
 * @param limits client limits; default {@link LimitsConfig#defaults()}
 * @param tls TLS on the listener {@code host}/{@code port}; default none
 * @param listeners several listeners instead of {@code host}/{@code port}/{@code tls}
 * @param drainDelay on SIGTERM, how long the listener keeps accepting while {@code /ready} already
 *     answers 503, so load balancers notice before connections are refused; default 5s
 * @param reload how configuration changes are noticed; default {@link ReloadConfig#defaults()}
 * @param http2 HTTP/2 on this listener; default {@link Http2Config#defaults()} (off)
 * @param transport the event loops' I/O transport; default {@link ServerTransport#AUTO}
 */
public record ServerConfig(
    String host,
    Integer port,
    Integer instances,
    List<Cidr> trustedProxies,
    Duration shutdownGrace,
    LimitsConfig limits,
    TlsConfig tls,
    List<ListenerConfig> listeners,
    Duration drainDelay,
    ReloadConfig reload,
    Http2Config http2,
    ServerTransport transport) {

  public ServerConfig {
    if (listeners != null) {
      if (host != null || port != null || tls != null) {
        String beside = host != null ? "host" : port != null ? "port" : "tls";
        throw new IllegalArgumentException("listeners: given beside server." + beside + " (expected: either "
            + "server.host/port/tls or server.listeners, not both)");
      }
      if (listeners.isEmpty()) {
        throw new IllegalArgumentException("listeners: [] (expected: at least one listener)");
      }
      listeners = List.copyOf(listeners);
      boolean anyTls = listeners.stream().anyMatch(ListenerConfig::isTls);
      for (int i = 0; i < listeners.size(); i++) {
        ListenerConfig listener = listeners.get(i);
        if (listener.redirectToHttps() && !anyTls) {
          throw new IllegalArgumentException("listeners[" + i + "].redirect-to-https: true (expected: a listener "
              + "with tls to redirect to)");
        }
        for (int j = 0; j < i; j++) {
          ListenerConfig other = listeners.get(j);
          if (listener.port() != 0 && listener.port().equals(other.port()) && listener.host().equals(other.host())) {
            throw new IllegalArgumentException("listeners[" + i + "].port: " + listener.port()
                + " (expected: a host and port no other listener uses)");
          }
        }
      }
      host = listeners.get(0).host();
      port = listeners.get(0).port();
    } else {
      host = host == null ? "0.0.0.0" : ComponentChecks.host("host", host);
      port = port == null ? 8080 : ComponentChecks.range("port", port, 0, 65535);
      listeners = List.of(new ListenerConfig(host, port, tls, false, null));
    }
    instances = instances == null ? Runtime.getRuntime().availableProcessors() : ComponentChecks.range("instances", instances, 1, 1024);
    trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(30) : ComponentChecks.notNegative("shutdown-grace", shutdownGrace);
    limits = limits == null ? LimitsConfig.defaults() : limits;
    drainDelay = drainDelay == null ? Duration.ofSeconds(5) : ComponentChecks.notNegative("drain-delay", drainDelay);
    reload = reload == null ? ReloadConfig.defaults() : reload;
    http2 = http2 == null ? Http2Config.defaults() : http2;
    transport = transport == null ? ServerTransport.AUTO : transport;
  }

  /** One plain listener, the default drain delay and reload settings. */
  public ServerConfig(String host, Integer port, Integer instances, List<Cidr> trustedProxies, Duration shutdownGrace,
      LimitsConfig limits) {
    this(host, port, instances, trustedProxies, shutdownGrace, limits, null, null, null, null, null, null);
  }

  /** All defaults. */
  public static ServerConfig defaults() {
    return new ServerConfig(null, null, null, null, null, null, null, null, null, null, null, null);
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
