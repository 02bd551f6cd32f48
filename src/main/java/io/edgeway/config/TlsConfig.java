package io.edgeway.config;

import io.edgeway.spi.Required;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * TLS on a listener.
 *
 * @param certificates one or more; chosen by the client's SNI name (exact names first, then
 *     {@code *.example.com} wildcards); the first is the default for clients that send no name or
 *     an unknown one
 * @param protocols default {@code [TLSv1.2, TLSv1.3]}; nothing older is accepted
 * @param ciphers TLS 1.2 suites (TLS 1.3 suites are always the library's AEAD set); default
 *     {@link #DEFAULT_CIPHERS}: ECDHE key exchange with AES-GCM or ChaCha20-Poly1305 only
 * @param clientAuth default {@link ClientAuthMode#NONE}
 * @param clientCaFile the CA bundle client certificates are verified against; required unless
 *     {@code client-auth: none}
 * @param reloadInterval how often the files are checked for changes; default 10s
 */
public record TlsConfig(
    @Required List<CertificateConfig> certificates,
    List<String> protocols,
    List<String> ciphers,
    ClientAuthMode clientAuth,
    String clientCaFile,
    Duration reloadInterval) {

  /** TLS 1.3 then TLS 1.2 forward-secret AEAD suites (Mozilla "intermediate", without DHE). */
  public static final List<String> DEFAULT_CIPHERS = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  public TlsConfig {
    if (certificates == null || certificates.isEmpty()) {
      throw new IllegalArgumentException("certificates: [] (expected: at least one { cert-file, key-file })");
    }
    certificates = List.copyOf(certificates);
    protocols = protocols == null ? List.of("TLSv1.2", "TLSv1.3") : List.copyOf(new LinkedHashSet<>(protocols));
    for (int i = 0; i < protocols.size(); i++) {
      if (!PROTOCOLS.contains(protocols.get(i))) {
        throw new IllegalArgumentException("protocols[" + i + "]: " + protocols.get(i)
            + " (expected: TLSv1.2 or TLSv1.3; older versions are broken and not offered)");
      }
    }
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("protocols: [] (expected: TLSv1.2 and/or TLSv1.3)");
    }
    if (ciphers == null) {
      ciphers = DEFAULT_CIPHERS;
    } else {
      ciphers = List.copyOf(new LinkedHashSet<>(ciphers));
      Set<String> known = knownCiphers();
      for (int i = 0; i < ciphers.size(); i++) {
        if (!known.contains(ciphers.get(i))) {
          throw new IllegalArgumentException("ciphers[" + i + "]: " + ciphers.get(i)
              + " (expected: a cipher suite name such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
        }
      }
    }
    clientAuth = clientAuth == null ? ClientAuthMode.NONE : clientAuth;
    if (clientAuth != ClientAuthMode.NONE && clientCaFile == null) {
      throw new IllegalArgumentException("client-auth: " + clientAuth.name().toLowerCase(java.util.Locale.ROOT)
          + " (expected: a client-ca-file to verify client certificates against)");
    }
    if (clientAuth == ClientAuthMode.NONE && clientCaFile != null) {
      throw new IllegalArgumentException("client-ca-file: " + clientCaFile
          + " (expected: only with client-auth: request or require)");
    }
    if (clientCaFile != null) {
      CertificateFiles.loadCaBundle("client-ca-file", clientCaFile);
    }
    reloadInterval = reloadInterval == null ? Duration.ofSeconds(10)
        : ComponentChecks.positive("reload-interval", reloadInterval);
  }

  private static Set<String> knownCiphers() {
    try {
      return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
    } catch (java.security.NoSuchAlgorithmException e) {
      return Set.copyOf(DEFAULT_CIPHERS);
    }
  }
}
