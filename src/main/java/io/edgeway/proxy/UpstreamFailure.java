package io.edgeway.proxy;

import io.edgeway.spi.GatewayException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The one mapping from upstream failures to client-facing errors: connection refused or reset ->
 * 502, timeout -> 504, pool saturated -> 503. Exceptions are preallocated (no stack traces).
 */
public enum UpstreamFailure {
  UNREACHABLE(new GatewayException(502, "upstream_unreachable", "Upstream unreachable")),
  TIMEOUT(new GatewayException(504, "upstream_timeout", "Upstream timed out")),
  BUSY(new GatewayException(503, "upstream_busy", "Upstream connection pool is saturated",
      Map.of("Retry-After", "1"))),
  NO_HEALTHY_TARGET(new GatewayException(503, "no_healthy_upstream", "No healthy upstream target",
      Map.of("Retry-After", "1"))),
  BAD_RESPONSE(new GatewayException(502, "upstream_bad_response", "Upstream sent an invalid response")),
  /** The TLS handshake with the target failed: its certificate or host name did not verify, or no common protocol. */
  TLS(new GatewayException(502, "upstream_tls", "Upstream TLS handshake failed")),
  /**
   * A {@code protocol: h2} target did not select {@code h2} by ALPN (it offered only HTTP/1.1, or
   * no ALPN at all): the gateway never falls back to HTTP/1.1 on its own. Logged by
   * {@link MultiplexedPool} with the target.
   */
  PROTOCOL(new GatewayException(502, "upstream_protocol", "Upstream did not negotiate HTTP/2"));

  private final GatewayException exception;

  UpstreamFailure(GatewayException exception) {
    this.exception = exception;
  }

  /** The preallocated exception for this failure. */
  public GatewayException exception() {
    return exception;
  }

  /** Classifies a failure of the HTTP client. */
  public static UpstreamFailure classify(Throwable t) {
    Throwable tls = tlsCause(t);
    if (tls != null) {
      return noCommonApplicationProtocol(tls) ? PROTOCOL : TLS;
    }
    if (t instanceof IllegalStateException && String.valueOf(t.getMessage()).endsWith(" not supported")) {
      // Vert.x's client refusing the protocol ALPN settled on ("HTTP/1.1 not supported" when it
      // offered h2 only and the target selected nothing).
      return PROTOCOL;
    }
    if (t instanceof ConnectionPoolTooBusyException) {
      return BUSY;
    }
    if (t instanceof TimeoutException || t instanceof io.netty.channel.ConnectTimeoutException
        || (t.getClass().getSimpleName().contains("Timeout"))) {
      return TIMEOUT;
    }
    if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
        || t instanceof HttpClosedException || t instanceof ClosedChannelException) {
      return UNREACHABLE;
    }
    String message = String.valueOf(t.getMessage());
    if (t instanceof IllegalArgumentException || message.contains("Invalid") || message.contains("invalid")) {
      return BAD_RESPONSE;
    }
    return UNREACHABLE;
  }

  /**
   * A handshake the target ended because it shares no ALPN protocol with the gateway: a server
   * that enforces ALPN answers the {@code no_application_protocol} alert (RFC 7301 3.2) instead of
   * going on without it. The JDK and BoringSSL name the alert differently.
   */
  static boolean noCommonApplicationProtocol(Throwable tls) {
    String message = String.valueOf(tls.getMessage()).toLowerCase(java.util.Locale.ROOT);
    return message.contains("no_application_protocol") || message.contains("no application protocol");
  }

  /**
   * The deepest TLS failure among {@code t} and its causes, or null. The deepest says why ("PKIX
   * path building failed", "No subject alternative DNS name matching ...") where the outer one
   * only says "Failed to create SSL connection".
   */
  public static Throwable tlsCause(Throwable t) {
    Throwable found = null;
    int depth = 0;
    for (Throwable c = t; c != null && depth++ < 16; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof javax.net.ssl.SSLException || c instanceof java.security.cert.CertificateException) {
        found = c;
      }
    }
    return found;
  }
}
