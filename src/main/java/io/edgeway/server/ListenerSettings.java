package io.edgeway.server;

import static java.util.Objects.requireNonNull;

import io.edgeway.server.tls.ListenerTls;
import java.util.function.IntSupplier;

/**
 * One listener as the request path uses it.
 *
 * @param index position in {@code server.listeners} (0 for the {@code host}/{@code port} form)
 * @param host address to bind
 * @param port port to bind (0: any)
 * @param tls the listener's TLS, or null for plain HTTP
 * @param redirectToHttps answer everything with 308 to {@code https://}
 * @param proxyProtocol connections start with a PROXY protocol header
 * @param httpsPort the bound port of the first TLS listener (the redirect's target), once bound
 */
public record ListenerSettings(int index, String host, int port, ListenerTls tls, boolean redirectToHttps,
    boolean proxyProtocol, IntSupplier httpsPort) {

  public ListenerSettings {
    requireNonNull(host, "host");
    requireNonNull(httpsPort, "httpsPort");
  }

  /** True when client certificates may be present (client-auth request or require). */
  public boolean clientCertificates() {
    return tls != null && tls.config().clientAuth() != io.edgeway.config.ClientAuthMode.NONE;
  }
}
