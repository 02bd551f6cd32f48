package io.edgeway.config;

/**
 * What an upstream's targets are spoken to in; written {@code http1}, {@code h2c}, {@code h2}.
 * {@code h2c} is HTTP/2 with prior knowledge over plain TCP ({@code http://} targets), the usual
 * way to reach gRPC services inside a cluster; {@code h2} is HTTP/2 negotiated by ALPN over TLS.
 */
public enum UpstreamProtocol {
  HTTP1,
  H2C,
  H2
}
