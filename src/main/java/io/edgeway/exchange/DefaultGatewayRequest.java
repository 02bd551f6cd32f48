package io.edgeway.exchange;

import static java.util.Objects.requireNonNull;

import io.edgeway.spi.Body;
import io.edgeway.spi.GatewayRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.Map;

/** The mutable request view filters see; built once per request by the dispatcher. */
public final class DefaultGatewayRequest implements GatewayRequest {
  private final HttpMethod method;
  private final String path;
  private final String query;
  private final String host;
  private final String scheme;
  private final String clientIp;
  private final Map<String, String> pathParams;
  private final MultiMap headers;
  private String upstreamPath;
  private String upstreamQuery;
  private Body body;

  public DefaultGatewayRequest(
      HttpMethod method, String path, String upstreamPath, String query, String host, String scheme,
      String clientIp, Map<String, String> pathParams, MultiMap headers, Body body) {
    this.method = method;
    this.path = path;
    this.upstreamPath = upstreamPath;
    this.query = query;
    this.upstreamQuery = query;
    this.host = host;
    this.scheme = scheme;
    this.clientIp = clientIp;
    this.pathParams = pathParams;
    this.headers = headers;
    this.body = body;
  }

  @Override
  public HttpMethod method() {
    return method;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String upstreamPath() {
    return upstreamPath;
  }

  @Override
  public void upstreamPath(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      throw new IllegalArgumentException("upstream path: " + path + " (expected: a path starting with /)");
    }
    this.upstreamPath = path;
  }

  @Override
  public String query() {
    return query;
  }

  @Override
  public String upstreamQuery() {
    return upstreamQuery;
  }

  @Override
  public void upstreamQuery(String query) {
    this.upstreamQuery = query == null || query.isEmpty() ? null : query;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public String scheme() {
    return scheme;
  }

  @Override
  public String clientIp() {
    return clientIp;
  }

  @Override
  public Map<String, String> pathParams() {
    return pathParams;
  }

  @Override
  public MultiMap headers() {
    return headers;
  }

  @Override
  public Body body() {
    return body;
  }

  @Override
  public void body(Body body) {
    this.body = requireNonNull(body, "body");
  }
}
