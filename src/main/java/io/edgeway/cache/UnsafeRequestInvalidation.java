package io.edgeway.cache;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.http.CanonicalPath;
import io.edgeway.http.PathCanonicalizer;
import io.edgeway.runtime.ExchangeObserver;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.GatewayRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * RFC 9111 section 4.4: when an unsafe request (anything but GET, HEAD, OPTIONS and TRACE) gets a
 * non-error response (2xx, 3xx), the responses stored for its target URI are removed, and those for
 * the URIs in its {@code Location} and {@code Content-Location} when they name the same host. It
 * watches every exchange, so a write invalidates whichever route cached the resource, even when
 * reads and writes are routed apart. Local to this gateway node.
 */
final class UnsafeRequestInvalidation implements ExchangeObserver {
  private final ResponseCache store;

  UnsafeRequestInvalidation(ResponseCache store) {
    this.store = store;
  }

  @Override
  public void completed(DefaultExchange exchange, ExchangeOutcome outcome) {
    GatewayRequest request = exchange.request();
    if (isSafe(request.method()) || outcome.status() < 200 || outcome.status() >= 400) {
      return;
    }
    String host = request.host() == null ? "" : request.host();
    store.invalidatePath(host, request.path());
    MultiMap headers = exchange.serverRequest().response().headers();
    invalidateReference(host, request.path(), headers.get("Location"));
    invalidateReference(host, request.path(), headers.get("Content-Location"));
  }

  static boolean isSafe(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
        || method == HttpMethod.TRACE;
  }

  /** A relative reference, or an absolute one to the same host, resolved against the request's path. */
  private void invalidateReference(String host, String requestPath, String reference) {
    if (reference == null || reference.isBlank()) {
      return;
    }
    String path;
    try {
      URI ref = new URI(reference.trim());
      if (ref.getScheme() != null && !ref.getScheme().equalsIgnoreCase("http") && !ref.getScheme().equalsIgnoreCase("https")) {
        return;
      }
      if (ref.getRawAuthority() != null && (ref.getHost() == null || !ref.getHost().equalsIgnoreCase(host))) {
        return; // another origin: RFC 9111 forbids invalidating it
      }
      path = ref.getRawAuthority() != null ? ref.getRawPath() : new URI(requestPath).resolve(ref).getRawPath();
    } catch (URISyntaxException | IllegalArgumentException malformed) {
      return; // not a URI: nothing it could name is stored
    }
    if (path == null || path.isEmpty()) {
      return;
    }
    CanonicalPath canonical = PathCanonicalizer.canonicalize(path);
    if (canonical.isValid()) {
      store.invalidatePath(host, canonical.path());
    }
  }
}
