package io.edgeway.server.tls;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.CertificateFiles.CertifiedKey;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;

/**
 * A listener's certificates, chosen by the client's SNI name: an exact name first, then a
 * wildcard one label deep ({@code *.example.com} serves {@code api.example.com}, not
 * {@code a.b.example.com} nor {@code example.com}, as RFC 6125 says), otherwise the first
 * certificate. Immutable: a reload builds a new instance, so {@code equals} (identity) tells
 * Vert.x the options changed.
 */
final class SniKeyCertOptions implements KeyCertOptions {
  private static final char[] PASSWORD = "in-memory".toCharArray();

  private final KeyManagerFactory defaultFactory;
  private final Map<String, KeyManagerFactory> exact = new HashMap<>();
  private final Map<String, KeyManagerFactory> wildcard = new HashMap<>();

  SniKeyCertOptions(List<CertifiedKey> certificates) {
    requireNonNull(certificates, "certificates");
    KeyManagerFactory first = null;
    // Earlier certificates win a name they share with later ones: the file order is the priority.
    for (CertifiedKey certificate : certificates) {
      KeyManagerFactory factory = factory(certificate);
      if (first == null) {
        first = factory;
      }
      for (String name : certificate.dnsNames()) {
        if (name.startsWith("*.")) {
          wildcard.putIfAbsent(name.substring(2), factory);
        } else {
          exact.putIfAbsent(name, factory);
        }
      }
    }
    this.defaultFactory = requireNonNull(first, "at least one certificate");
  }

  private static KeyManagerFactory factory(CertifiedKey certificate) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("key", certificate.key(), PASSWORD, certificate.chain().toArray(new X509Certificate[0]));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, PASSWORD);
      return factory;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build a key manager: " + e, e);
    }
  }

  /** The certificate for {@code serverName}, or null for the default. */
  KeyManagerFactory lookup(String serverName) {
    if (serverName == null) {
      return null;
    }
    String name = serverName.toLowerCase(Locale.ROOT);
    KeyManagerFactory factory = exact.get(name);
    if (factory == null) {
      int dot = name.indexOf('.');
      if (dot > 0) {
        factory = wildcard.get(name.substring(dot + 1));
      }
    }
    return factory;
  }

  @Override
  public KeyCertOptions copy() {
    return this;
  }

  @Override
  public KeyManagerFactory getKeyManagerFactory(Vertx vertx) {
    return defaultFactory;
  }

  @Override
  public Function<String, KeyManagerFactory> keyManagerFactoryMapper(Vertx vertx) {
    return this::lookup;
  }
}
