package io.edgeway.server;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.Http2Config;
import io.edgeway.config.LimitsConfig;
import io.edgeway.config.ServerConfig;
import io.edgeway.http.Cidr;
import io.edgeway.http.ClientIpResolver;
import io.edgeway.http.EdgeLimits;
import io.edgeway.http.RequestFramingCheck;
import java.util.List;

/**
 * The listener settings derived once from {@code server:} (limits in the units the request path
 * uses, the client-IP resolver, the framing check and the listeners).
 */
public record ServerSettings(
    String host, int port, int instances, long defaultMaxBodyBytes, int maxRequestLine, int maxHeaderSize,
    long headerReadTimeoutNanos, long bodyIdleTimeoutNanos, long keepAliveIdleNanos, int maxConnections,
    long shutdownGraceMillis, List<Cidr> trustedProxies, ClientIpResolver clientIpResolver,
    RequestFramingCheck framingCheck, List<ListenerSettings> listeners, Http2Config http2) {

  public ServerSettings {
    requireNonNull(host, "host");
    trustedProxies = List.copyOf(trustedProxies);
    listeners = List.copyOf(listeners);
    requireNonNull(http2, "http2");
  }

  /** Settings whose one plain listener is {@code server.host}/{@code server.port} (no TLS). */
  public static ServerSettings from(ServerConfig server) {
    return from(server, List.of(new ListenerSettings(0, server.host(), server.port(), null, false, false, () -> 0)));
  }

  /** Settings with these listeners (TLS material already loaded). */
  public static ServerSettings from(ServerConfig server, List<ListenerSettings> listeners) {
    LimitsConfig limits = server.limits();
    List<Cidr> trusted = server.trustedProxies();
    return new ServerSettings(
        server.host(), server.port(), server.instances(),
        limits.maxBodySize().bytes(),
        (int) limits.maxRequestLine().bytes(),
        (int) limits.maxHeaderSize().bytes(),
        limits.headerReadTimeout().toNanos(),
        limits.bodyIdleTimeout().toNanos(),
        limits.idleTimeout().toNanos(),
        limits.maxConnections(),
        server.shutdownGrace().toMillis(),
        trusted,
        new ClientIpResolver(trusted),
        new RequestFramingCheck(new EdgeLimits(limits.maxHeaderCount())),
        listeners,
        server.http2());
  }
}
