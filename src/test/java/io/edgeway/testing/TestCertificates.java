package io.edgeway.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made for a test, in memory and as PEM files: a CA, and leaves it signs (RSA or
 * ECDSA, with DNS names), keys written as PKCS#8 or in the traditional form. Nothing is committed.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  /** A key pair with its certificate. */
  public record Issued(KeyPair keys, X509Certificate certificate, Issued issuer) {
    /** The chain, leaf first, without the root. */
    public List<X509Certificate> chain() {
      return issuer == null || issuer.issuer == null ? List.of(certificate) : List.of(certificate, issuer.certificate);
    }

    /** Writes {@code name.crt} (chain) and {@code name.key} under {@code dir}; answers [cert, key]. */
    public Path[] write(Path dir, String name, boolean pkcs8) throws IOException {
      Path cert = dir.resolve(name + ".crt");
      Path key = dir.resolve(name + ".key");
      Files.writeString(cert, pem(chain().toArray()));
      Files.writeString(key, pkcs8 ? pkcs8(keys.getPrivate()) : traditional(keys.getPrivate()));
      return new Path[] {cert, key};
    }

    /** Writes the certificate alone (a CA bundle) to {@code file}. */
    public Path writeCertificate(Path file) throws IOException {
      Files.writeString(file, pem(certificate));
      return file;
    }
  }

  private TestCertificates() {}

  public static Issued ca(String name) {
    KeyPair keys = generate("EC");
    X500Name subject = new X500Name("CN=" + name);
    return new Issued(keys, sign(subject, subject, keys, keys.getPrivate(), null, true), null);
  }

  /** A leaf for {@code dnsNames} (the first is also its CN), signed by {@code ca}. */
  public static Issued leaf(Issued ca, String algorithm, String... dnsNames) {
    KeyPair keys = generate(algorithm);
    X500Name subject = new X500Name("CN=" + dnsNames[0] + ",O=Edgeway Test");
    X500Name issuer = new X500Name(ca.certificate().getSubjectX500Principal().getName());
    return new Issued(keys, sign(subject, issuer, keys, ca.keys().getPrivate(), dnsNames, false), ca);
  }

  private static KeyPair generate(String algorithm) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(algorithm.equals("RSA") ? 2048 : 256, new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X500Name subject, X500Name issuer, KeyPair keys, PrivateKey signer,
      String[] dnsNames, boolean ca) {
    try {
      Instant now = Instant.now();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), subject, keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      }
      if (dnsNames != null) {
        GeneralName[] names = new GeneralName[dnsNames.length];
        for (int i = 0; i < dnsNames.length; i++) {
          names[i] = dnsNames[i].matches("[0-9.]+") ? new GeneralName(GeneralName.iPAddress, dnsNames[i])
              : new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      ContentSigner contentSigner = new JcaContentSignerBuilder(algorithm).build(signer);
      return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(Object... objects) {
    try {
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        for (Object o : objects) {
          writer.writeObject(o);
        }
      }
      return out.toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code BEGIN RSA PRIVATE KEY} or {@code BEGIN EC PRIVATE KEY} with its named curve, as openssl
   * writes them (BouncyCastle alone would leave the curve out of a JDK EC key).
   */
  static String traditional(PrivateKey key) {
    if (!key.getAlgorithm().equals("EC")) {
      return pem(key);
    }
    try {
      org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
      org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
      org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(),
          info.getPrivateKeyAlgorithm().getParameters());
      return pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pkcs8(PrivateKey key) {
    try {
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(new JcaPKCS8Generator(key, null));
      }
      return out.toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
