package io.edgeway.config;

/**
 * How an upstream's {@code https://} targets are verified and what the gateway presents to them.
 * By default the server certificate and host name are verified against the JVM's system trust
 * store and SNI names the target host.
 *
 * @param caFile trust only these CAs (PEM) instead of the system trust store
 * @param certFile the gateway's client certificate chain for mTLS to the upstream (with key-file)
 * @param keyFile its private key
 * @param insecureSkipVerify accept any certificate and host name (logged at start-up); default false
 */
public record UpstreamTlsConfig(String caFile, String certFile, String keyFile, Boolean insecureSkipVerify) {

  public UpstreamTlsConfig {
    insecureSkipVerify = insecureSkipVerify != null && insecureSkipVerify;
    if (insecureSkipVerify && caFile != null) {
      throw new IllegalArgumentException("insecure-skip-verify: true (expected: no ca-file when verification is off)");
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException((certFile == null ? "key-file: " + keyFile : "cert-file: " + certFile)
          + " (expected: cert-file and key-file together)");
    }
    if (caFile != null) {
      CertificateFiles.loadCaBundle("ca-file", caFile);
    }
    if (certFile != null) {
      CertificateFiles.load(certFile, keyFile);
    }
  }

  /** Verification against the system trust store, no client certificate. */
  public static UpstreamTlsConfig defaults() {
    return new UpstreamTlsConfig(null, null, null, null);
  }
}
