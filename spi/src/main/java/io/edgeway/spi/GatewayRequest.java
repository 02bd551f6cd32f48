package io.edgeway.spi;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.Map;

/**
 * The request as the gateway will send it upstream. The path is the one canonical form the
 * gateway computed once (percent-decoded unreserved characters, no dot segments, no empty
 * segments): routing, every filter and the upstream see the same path.
 *
 * <p>Headers are mutable and are what the upstream receives, after hop-by-hop headers were
 * removed; the gateway adds {@code X-Forwarded-*}, {@code Forwarded}, {@code X-Request-Id} and
 * {@code traceparent} itself.
 */
public interface GatewayRequest {

  /** The request method. */
  HttpMethod method();

  /** The canonical request path, as routed, without the query string. */
  String path();

  /** The path that will be sent upstream (after strip-prefix or rewrite). */
  String upstreamPath();

  /** Replaces the path sent upstream; it must start with {@code /}. */
  void upstreamPath(String path);

  /** The raw query string without {@code ?}, or null when the request had none. */
  String query();

  /**
   * The raw query string that will be sent upstream, without {@code ?}, or null for none; the
   * client's {@link #query()} unless a filter replaced it (e.g. to remove a credential).
   */
  String upstreamQuery();

  /** Replaces the query sent upstream (raw, without {@code ?}); null or empty sends none. */
  void upstreamQuery(String query);

  /** The request host, lower-cased, without the port. */
  String host();

  /** {@code http} or {@code https}, as the client connected. */
  String scheme();

  /** The client IP, resolved through the configured trusted proxies. */
  String clientIp();

  /** Values captured by the route's path template, e.g. {@code id} for {@code /users/{id}}. */
  Map<String, String> pathParams();

  /** The headers to send upstream (mutable). */
  MultiMap headers();

  /** The request body (streamed unless a filter buffered it). */
  Body body();

  /**
   * Replaces the body, e.g. with a buffered copy a retry can send again, or a transformed one.
   * The framing sent upstream follows the body, whatever the headers say: {@code Content-Length}
   * is its length when known ({@link Body#length()}), otherwise the body goes chunked. A streamed
   * body that ends shorter or longer than its declared length, or fails, resets the upstream
   * request instead of ending it.
   */
  void body(Body body);
}
