package io.edgeway.tls;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS implementation every listener and upstream client uses: BoringSSL through
 * netty-tcnative when its native library loads on this platform (several times the JDK's
 * handshake rate), the JDK's own provider otherwise. Decided once, logged once.
 */
public final class TlsEngine {
  private static final Logger log = LoggerFactory.getLogger(TlsEngine.class);
  private static final boolean OPENSSL = detect();

  private TlsEngine() {}

  private static boolean detect() {
    if (OpenSSLEngineOptions.isAvailable()) {
      log.info("TLS provider: OpenSSL ({} via netty-tcnative)", OpenSsl.versionString());
      return true;
    }
    Throwable cause = OpenSsl.unavailabilityCause();
    log.info("TLS provider: JDK (netty-tcnative not usable on this platform: {})",
        cause == null ? "unknown" : cause.toString());
    return false;
  }

  /** A fresh copy of the engine options (Vert.x options objects are mutable). */
  public static SSLEngineOptions options() {
    // The session cache stays on (the default): resumed handshakes skip the key exchange.
    return OPENSSL ? new OpenSSLEngineOptions().setSessionCacheEnabled(true) : new JdkSSLEngineOptions();
  }

  /** {@code openssl} or {@code jdk}, for the admin API and logs. */
  public static String name() {
    return OPENSSL ? "openssl" : "jdk";
  }
}
