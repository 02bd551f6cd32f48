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
 * uses, the client-IP resolver and the framing check).
 */
public record ServerSettings(
    String host, int port, int instances, long defaultMaxBodyBytes, int maxRequestLine, int maxHeaderSize,
    long headerReadTimeoutNanos, long bodyIdleTimeoutNanos, long keepAliveIdleNanos, int maxConnections,
    long shutdownGraceMillis, List<Cidr> trustedProxies, ClientIpResolver clientIpResolver,
    RequestFramingCheck framingCheck, Http2Config http2) {

  public ServerSettings {
    requireNonNull(host, "host");
    trustedProxies = List.copyOf(trustedProxies);
    requireNonNull(http2, "http2");
  }

  public static ServerSettings from(ServerConfig server) {
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
        server.http2());
  }
}
