package io.edgeway.config;

import io.edgeway.spi.Required;

/**
 * One certificate a TLS listener serves. Which SNI names it answers comes from the certificate
 * itself (its DNS subject alternative names, or its CN without them), wildcards included.
 * The files are read and checked when the configuration is loaded, and read again when they change.
 *
 * @param certFile PEM chain, leaf first
 * @param keyFile PEM private key of the leaf (RSA or ECDSA; PKCS#8 or traditional; unencrypted)
 */
public record CertificateConfig(@Required String certFile, @Required String keyFile) {

  public CertificateConfig {
    if (certFile == null || certFile.isBlank()) {
      throw new IllegalArgumentException("cert-file: " + certFile + " (expected: a PEM certificate chain file)");
    }
    if (keyFile == null || keyFile.isBlank()) {
      throw new IllegalArgumentException("key-file: " + keyFile + " (expected: a PEM private key file)");
    }
    // Read now so --check and start-up report a bad file at its key, with its position.
    CertificateFiles.load(certFile, keyFile);
  }
}
