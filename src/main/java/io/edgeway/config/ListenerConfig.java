package io.edgeway.config;

import io.edgeway.spi.Required;

/**
 * One address the gateway accepts clients on. Every listener serves the same routes.
 *
 * @param host address to bind; default {@code 0.0.0.0}
 * @param port 0..65535, required (0 = ephemeral, for tests)
 * @param tls TLS on this listener; default none (plain HTTP)
 * @param redirectToHttps answer every request with 308 to the same host and path on the first TLS
 *     listener; only on a plain listener, and only when a TLS listener exists; default false
 * @param proxyProtocol expect a PROXY protocol header (v1 or v2) on every connection; the client
 *     address it carries is believed only from {@code server.trusted-proxies}; default none
 */
public record ListenerConfig(String host, @Required Integer port, TlsConfig tls, Boolean redirectToHttps,
    ProxyProtocol proxyProtocol) {

  public ListenerConfig {
    host = host == null ? "0.0.0.0" : ComponentChecks.host("host", host);
    if (port == null) {
      throw new IllegalArgumentException("port: null (expected: a port from 0 to 65535)");
    }
    ComponentChecks.range("port", port, 0, 65535);
    redirectToHttps = redirectToHttps != null && redirectToHttps;
    if (redirectToHttps && tls != null) {
      throw new IllegalArgumentException("redirect-to-https: true (expected: only on a listener without tls)");
    }
  }

  public boolean isTls() {
    return tls != null;
  }
}
