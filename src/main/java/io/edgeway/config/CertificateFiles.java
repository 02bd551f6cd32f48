package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Reads PEM certificate chains, private keys and CA bundles. The same code validates them at
 * load ({@code --check} and start-up, from the records' compact constructors) and reads them again
 * when the files change, so a file that passes one passes the other. Blocking: call it at
 * start-up or on a worker thread, never on an event loop.
 */
public final class CertificateFiles {
  private static final byte[] PROBE = "edgeway key/certificate match".getBytes(StandardCharsets.US_ASCII);

  private CertificateFiles() {}

  /**
   * A certificate chain with its private key.
   *
   * @param chain the leaf first
   * @param key matches the leaf's public key (checked)
   * @param dnsNames the names the leaf serves, lower case: its DNS subject alternative names, or
   *     its common name when it has none (wildcards such as {@code *.example.com} included)
   * @param certBytes the certificate file as read (compared to notice changes)
   * @param keyBytes the key file as read
   */
  public record CertifiedKey(List<X509Certificate> chain, PrivateKey key, List<String> dnsNames, byte[] certBytes,
      byte[] keyBytes) {
    public CertifiedKey {
      chain = List.copyOf(chain);
      requireNonNull(key, "key");
      dnsNames = List.copyOf(dnsNames);
    }

    public X509Certificate leaf() {
      return chain.get(0);
    }
  }

  /**
   * Reads and checks a chain and its key: PEM, RSA or ECDSA, PKCS#8 ({@code BEGIN PRIVATE KEY}) or
   * traditional ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY}); the key must belong
   * to the first certificate.
   *
   * @throws IllegalArgumentException {@code "cert-file: ... (expected: ...)"} or {@code "key-file: ..."}
   */
  public static CertifiedKey load(String certFile, String keyFile) {
    byte[] certBytes = read("cert-file", certFile);
    byte[] keyBytes = read("key-file", keyFile);
    return parse(certFile, certBytes, keyFile, keyBytes);
  }

  /** {@link #load} on bytes already read. */
  public static CertifiedKey parse(String certFile, byte[] certBytes, String keyFile, byte[] keyBytes) {
    List<X509Certificate> chain = parseCertificates("cert-file", certFile, certBytes);
    PrivateKey key;
    try {
      key = PemKeys.parse(keyBytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key-file: " + keyFile + " (expected: a PEM private key, RSA or EC, "
          + "PKCS#8 or traditional, unencrypted; " + reason(e) + ")");
    }
    if (!matches(key, chain.get(0))) {
      throw new IllegalArgumentException("key-file: " + keyFile + " (expected: the private key of the first "
          + "certificate in " + certFile + ")");
    }
    return new CertifiedKey(chain, key, names(chain.get(0)), certBytes, keyBytes);
  }

  /**
   * Reads a CA bundle: one or more PEM certificates.
   *
   * @throws IllegalArgumentException {@code "<key>: ... (expected: ...)"}
   */
  public static List<X509Certificate> loadCaBundle(String key, String file) {
    return parseCertificates(key, file, read(key, file));
  }

  /** {@link #loadCaBundle} on bytes already read. */
  public static List<X509Certificate> parseCaBundle(String key, String file, byte[] bytes) {
    return parseCertificates(key, file, bytes);
  }

  /** Reads a whole file; {@code key} names it in the message: {@code "key: file (expected: a readable file; ...)"}. */
  public static byte[] readFile(String key, String file) {
    return read(key, file);
  }

  static byte[] read(String key, String file) {
    requireNonNull(file, key);
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(key + ": " + file + " (expected: a readable file; there is none)");
    } catch (java.nio.file.AccessDeniedException e) {
      throw new IllegalArgumentException(key + ": " + file + " (expected: a readable file; permission denied)");
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(key + ": " + file + " (expected: a readable file; " + reason(e) + ")");
    }
  }

  private static List<X509Certificate> parseCertificates(String key, String file, byte[] bytes) {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
        certificates.add((X509Certificate) c);
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(key + ": " + file + " (expected: PEM certificates; " + reason(e) + ")");
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(key + ": " + file + " (expected: at least one PEM certificate)");
    }
    return certificates;
  }

  /** True when {@code key} signs what the certificate's public key verifies. */
  private static boolean matches(PrivateKey key, X509Certificate leaf) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> null;
    };
    if (algorithm == null || !algorithm.endsWith(leaf.getPublicKey().getAlgorithm().replace("EC", "ECDSA"))) {
      return false;
    }
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** DNS SANs, or the CN when there are none (as TLS clients have long done). */
  static List<String> names(X509Certificate leaf) {
    List<String> names = new ArrayList<>();
    try {
      if (leaf.getSubjectAlternativeNames() != null) {
        for (List<?> san : leaf.getSubjectAlternativeNames()) {
          if (san.size() == 2 && Integer.valueOf(2).equals(san.get(0))) {
            names.add(san.get(1).toString().toLowerCase(Locale.ROOT));
          }
        }
      }
      if (names.isEmpty()) {
        for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
          if (rdn.getType().equalsIgnoreCase("cn")) {
            names.add(rdn.getValue().toString().toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (Exception e) {
      // An unparsable name list leaves the certificate usable as the default only.
    }
    return names;
  }

  private static String reason(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.replace('\n', ' ');
  }
}
