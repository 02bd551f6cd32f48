package io.edgeway.proxy;

import io.edgeway.tls.TlsEngine;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * How an upstream's {@code https://} targets are reached: the server certificate and host name
 * verified against the system trust store (or {@code caFile}), SNI naming the target, optionally
 * a client certificate. Files are given by path: Vert.x reads them when it first builds the TLS
 * context, on a worker thread, and the configuration check has read them already.
 *
 * @param caFile PEM CAs to trust instead of the system store, or null
 * @param certFile client certificate chain, or null
 * @param keyFile its key, or null
 * @param insecureSkipVerify no certificate or host name verification (an explicit opt-out)
 */
public record UpstreamTls(String caFile, String certFile, String keyFile, boolean insecureSkipVerify) {

  /** The default: system trust store, host name verified, no client certificate. */
  public static final UpstreamTls SYSTEM = new UpstreamTls(null, null, null, false);

  /** The client side of an upstream's {@code tls} section. */
  public static UpstreamTls of(io.edgeway.config.UpstreamTlsConfig config) {
    return new UpstreamTls(config.caFile(), config.certFile(), config.keyFile(), config.insecureSkipVerify());
  }

  /**
   * Sets the TLS options of a client that reaches {@code targets} (the proxy's pools, and the
   * health checks, which must verify the same way), when any of them is {@code https://}.
   */
  public void applyTo(HttpClientOptions options, java.util.List<UpstreamTarget> targets) {
    if (targets.stream().anyMatch(UpstreamTarget::ssl)) {
      // SNI names the target; an IP literal is not a valid SNI name (RFC 6066), so it is sent
      // only when every TLS target is named by a host name.
      apply(options, targets.stream().filter(UpstreamTarget::ssl).noneMatch(t -> isIpLiteral(t.host())));
    }
  }

  /**
   * Loads the TLS provider (a native library, a few hundred milliseconds) when any target is
   * {@code https://}: here, where routes are compiled (on a worker), rather than on the event loop
   * whose first request opens the first connection.
   */
  void prepare(java.util.List<UpstreamTarget> targets) {
    if (targets.stream().anyMatch(UpstreamTarget::ssl)) {
      TlsEngine.name();
    }
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  /**
   * Sets the TLS options of the client.
   *
   * @param sni send SNI (every TLS target is named by a host name, not an IP literal)
   */
  private void apply(HttpClientOptions options, boolean sni) {
    options.setSslEngineOptions(TlsEngine.options())
        .setForceSni(sni)
        .setVerifyHost(!insecureSkipVerify)
        .setTrustAll(insecureSkipVerify);
    if (caFile != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(caFile));
    }
    if (certFile != null) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile).setKeyPath(keyFile));
    }
  }
}
