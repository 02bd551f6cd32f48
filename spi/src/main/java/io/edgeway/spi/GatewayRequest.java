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

  /**
   * The request body: {@link Body#empty()} for a request without one, otherwise streamed unless a
   * filter replaced it. The stream starts paused: nothing is read from the client (and no
   * {@code 100 Continue} is sent) until a filter reads it or the gateway sends it upstream, so a
   * filter that answers without calling the chain never invites the body.
   *
   * <p>To inspect it, {@link Body#read(long) read} it with a limit and put the copy back with
   * {@link #body(Body) body(Body.of(buffer))}. A body that does not end correctly fails the read
   * (or the stream's exception handler) with a {@link GatewayException} whose status the client
   * receives whatever the filter returns: 413 past the route's {@code max-body-size}, 400 for
   * broken chunked framing, 408 for a stall, 499 when the client went away; the upstream request,
   * if one was started, is reset, never completed with a partial body.
   */
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
