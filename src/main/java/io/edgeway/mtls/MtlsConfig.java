package io.edgeway.mtls;

/**
 * Configuration of the {@code mtls} filter.
 *
 * @param forwardSubject send the certificate's subject (RFC 2253) upstream as
 *     {@code X-Client-Cert-Subject}; default false
 * @param forwardSha256 send the hex SHA-256 fingerprint of the certificate (DER) upstream as
 *     {@code X-Client-Cert-Sha256}; default false
 */
public record MtlsConfig(Boolean forwardSubject, Boolean forwardSha256) {

  public MtlsConfig {
    forwardSubject = forwardSubject != null && forwardSubject;
    forwardSha256 = forwardSha256 != null && forwardSha256;
  }
}
