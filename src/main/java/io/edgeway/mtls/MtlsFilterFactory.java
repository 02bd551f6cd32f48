package io.edgeway.mtls;

import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.Stage;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code mtls}: the route serves only clients that presented a certificate the listener verified
 * against its {@code client-ca-file} (listeners with {@code client-auth: request} or
 * {@code require}); others get 403 {@code client_certificate_required}. It can forward the
 * certificate's subject and fingerprint upstream. Client-sent {@code X-Client-Cert-*} headers never
 * reach an upstream: the core strips them from every request, so only this filter can set them.
 */
public final class MtlsFilterFactory implements GatewayFilterFactory<MtlsConfig> {
  static final String SUBJECT_HEADER = "X-Client-Cert-Subject";
  static final String SHA256_HEADER = "X-Client-Cert-Sha256";

  @Override
  public String name() {
    return "mtls";
  }

  @Override
  public Stage stage() {
    return Stage.AUTHN;
  }

  @Override
  public Class<MtlsConfig> configType() {
    return MtlsConfig.class;
  }

  @Override
  public GatewayFilter create(MtlsConfig config, FilterContext context) {
    return new MtlsFilter(config);
  }

  static final class MtlsFilter implements GatewayFilter {
    private final boolean forwardSubject;
    private final boolean forwardSha256;

    MtlsFilter(MtlsConfig config) {
      this.forwardSubject = config.forwardSubject();
      this.forwardSha256 = config.forwardSha256();
    }

    @Override
    public Future<GatewayResponse> filter(Exchange exchange, FilterChain chain) {
      List<X509Certificate> chainOfCerts = exchange.get(StandardAttributes.CLIENT_CERTIFICATES);
      if (chainOfCerts == null || chainOfCerts.isEmpty()) {
        return Future.succeededFuture(exchange.problem(403, "client_certificate_required",
            "A verified client certificate is required"));
      }
      X509Certificate leaf = chainOfCerts.get(0);
      MultiMap headers = exchange.request().headers();
      if (forwardSubject) {
        headers.set(SUBJECT_HEADER, leaf.getSubjectX500Principal().getName());
      }
      if (forwardSha256) {
        headers.set(SHA256_HEADER, sha256(leaf));
      }
      return chain.proceed(exchange);
    }

    static String sha256(X509Certificate certificate) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
      } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
