package io.edgeway.server.tls;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.CertificateConfig;
import io.edgeway.config.CertificateFiles;
import io.edgeway.config.CertificateFiles.CertifiedKey;
import io.edgeway.config.ClientAuthMode;
import io.edgeway.config.TlsConfig;
import io.edgeway.tls.TlsEngine;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TLS side of one listener: its configuration, the certificates in use, and the check that
 * notices when their files changed. Reading files is blocking: {@link #load} runs at start-up,
 * {@link #readChanges} on a worker thread; the rest is cheap.
 */
public final class ListenerTls {
  private final String keyPath;
  private final TlsConfig config;
  private volatile Material current;
  private volatile Instant loadedAt;
  private volatile String lastError;

  /**
   * The certificates, the client CA bundle as read, and the SNI key managers built from them.
   *
   * @param clientCa the client-ca-file's bytes, or null
   */
  public record Material(List<CertifiedKey> certificates, byte[] clientCa, SniKeyCertOptions keyCerts) {}

  private ListenerTls(String keyPath, TlsConfig config, Material material) {
    this.keyPath = keyPath;
    this.config = config;
    this.current = material;
    this.loadedAt = Instant.now();
  }

  /**
   * Reads the files of a listener's TLS configuration (start-up: blocking is fine there).
   *
   * @param keyPath where the configuration sits, for messages ({@code server.listeners[1].tls})
   * @throws IllegalArgumentException naming the key path and the file
   */
  public static ListenerTls load(String keyPath, TlsConfig config) {
    requireNonNull(keyPath, "keyPath");
    requireNonNull(config, "config");
    return new ListenerTls(keyPath, config, read(keyPath, config, null).orElseThrow());
  }

  public TlsConfig config() {
    return config;
  }

  public String keyPath() {
    return keyPath;
  }

  /**
   * Reads the files again and answers new material when any of them changed. Blocking: call it on
   * a worker thread.
   *
   * @throws IllegalArgumentException {@code key.path: file (expected: ...)} when a changed file is bad
   */
  public Optional<Material> readChanges() {
    return read(keyPath, config, current);
  }

  /** Makes {@code material} the one {@link #configure} applies and {@link #status} shows. */
  public void install(Material material) {
    current = requireNonNull(material, "material");
    loadedAt = Instant.now();
    lastError = null;
  }

  /** Records a failed reload for {@link #status}; the certificates in use stay. */
  public void reloadFailed(String message) {
    lastError = message;
  }

  /** Applies protocols, ciphers, client authentication and the current certificates to {@code options}. */
  public ServerSSLOptions configure(ServerSSLOptions options) {
    Material material = current;
    options.setKeyCertOptions(material.keyCerts())
        .setSni(true)
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(config.protocols()));
    config.ciphers().forEach(options::addEnabledCipherSuite);
    options.setClientAuth(switch (config.clientAuth()) {
      case NONE -> ClientAuth.NONE;
      case REQUEST -> ClientAuth.REQUEST;
      case REQUIRE -> ClientAuth.REQUIRED;
    });
    if (material.clientCa() != null) {
      options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(material.clientCa())));
    }
    return options;
  }

  /** What the admin API shows: each certificate's names, validity and fingerprint, the last reload. */
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("listener", keyPath);
    status.put("provider", TlsEngine.name());
    status.put("protocols", config.protocols());
    status.put("clientAuth", config.clientAuth().name().toLowerCase(java.util.Locale.ROOT));
    List<Object> certificates = new ArrayList<>();
    Material material = current;
    for (int i = 0; i < material.certificates().size(); i++) {
      X509Certificate leaf = material.certificates().get(i).leaf();
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("certFile", config.certificates().get(i).certFile());
      c.put("names", material.certificates().get(i).dnsNames());
      c.put("subject", leaf.getSubjectX500Principal().getName());
      c.put("notAfter", leaf.getNotAfter().toInstant().toString());
      c.put("sha256", sha256(leaf));
      c.put("default", i == 0);
      certificates.add(c);
    }
    status.put("certificates", certificates);
    status.put("loadedAt", loadedAt.toString());
    status.put("lastReloadError", lastError);
    return status;
  }

  /** Hex SHA-256 of a certificate's DER encoding (what {@code openssl x509 -fingerprint -sha256} shows). */
  public static String sha256(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** New material when {@code previous} is null or a file's bytes differ from it; empty otherwise. */
  private static Optional<Material> read(String keyPath, TlsConfig config, Material previous) {
    List<CertificateConfig> files = config.certificates();
    List<byte[]> certs = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    boolean changed = previous == null;
    for (int i = 0; i < files.size(); i++) {
      String at = keyPath + ".certificates[" + i + "].";
      byte[] cert = readFile(at, "cert-file", files.get(i).certFile());
      byte[] key = readFile(at, "key-file", files.get(i).keyFile());
      certs.add(cert);
      keys.add(key);
      if (previous != null) {
        CertifiedKey old = previous.certificates().get(i);
        changed |= !Arrays.equals(old.certBytes(), cert) || !Arrays.equals(old.keyBytes(), key);
      }
    }
    byte[] clientCa = null;
    if (config.clientAuth() != ClientAuthMode.NONE) {
      clientCa = readFile(keyPath + ".", "client-ca-file", config.clientCaFile());
      changed |= previous != null && !Arrays.equals(previous.clientCa(), clientCa);
    }
    if (!changed) {
      return Optional.empty();
    }
    List<CertifiedKey> loaded = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      CertificateConfig file = files.get(i);
      try {
        // An ACME client may write the certificate and the key one after the other: a pair that
        // does not match is reported and retried at the next check, never installed.
        loaded.add(CertificateFiles.parse(file.certFile(), certs.get(i), file.keyFile(), keys.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(keyPath + ".certificates[" + i + "]." + e.getMessage(), e);
      }
    }
    if (clientCa != null) {
      try {
        CertificateFiles.parseCaBundle("client-ca-file", config.clientCaFile(), clientCa);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(keyPath + "." + e.getMessage(), e);
      }
    }
    return Optional.of(new Material(loaded, clientCa, new SniKeyCertOptions(loaded)));
  }

  private static byte[] readFile(String at, String key, String file) {
    try {
      return CertificateFiles.readFile(key, file);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + e.getMessage(), e);
    }
  }
}
