package io.edgeway.testkit;

import static java.util.Objects.requireNonNull;

import io.edgeway.spi.Body;
import io.edgeway.spi.GatewayRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link GatewayRequest} for unit tests, built fluently: {@code TestRequest.get("/orders/7")
 * .header("User-Agent", "curl/8").clientIp("10.1.2.3")}. It behaves as the gateway's own does for a
 * filter: headers, upstream path, upstream query and body are mutable, everything else is what the
 * client sent. Defaults: host {@code localhost}, scheme {@code http}, client IP {@code 127.0.0.1},
 * no query, an empty body.
 */
public final class TestRequest implements GatewayRequest {
  private HttpMethod method;
  private String path;
  private String upstreamPath;
  private String query;
  private String upstreamQuery;
  private String host = "localhost";
  private String scheme = "http";
  private String clientIp = "127.0.0.1";
  private final Map<String, String> pathParams = new LinkedHashMap<>();
  private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
  private Body body = Body.empty();

  private TestRequest(HttpMethod method, String path) {
    this.method = requireNonNull(method, "method");
    int q = requireNonNull(path, "path").indexOf('?');
    this.path = q < 0 ? path : path.substring(0, q);
    if (!this.path.startsWith("/")) {
      throw new IllegalArgumentException("path: " + path + " (expected: starting with /)");
    }
    this.upstreamPath = this.path;
    this.query = q < 0 ? null : path.substring(q + 1);
    this.upstreamQuery = query;
  }

  /**
   * A request with the given method and path.
   *
   * @param method the HTTP method
   * @param pathAndQuery the canonical path, optionally followed by {@code ?query}
   * @return the request
   */
  public static TestRequest of(HttpMethod method, String pathAndQuery) {
    return new TestRequest(method, pathAndQuery);
  }

  /**
   * A GET request.
   *
   * @param pathAndQuery the canonical path, optionally followed by {@code ?query}
   * @return the request
   */
  public static TestRequest get(String pathAndQuery) {
    return of(HttpMethod.GET, pathAndQuery);
  }

  /**
   * A POST request with a buffered body.
   *
   * @param pathAndQuery the canonical path, optionally followed by {@code ?query}
   * @param body the body, sent as UTF-8
   * @return the request
   */
  public static TestRequest post(String pathAndQuery, String body) {
    return of(HttpMethod.POST, pathAndQuery).body(body);
  }

  /**
   * Adds a header value (a repeated name keeps every value).
   *
   * @param name the header name
   * @param value the value
   * @return this request
   */
  public TestRequest header(String name, String value) {
    headers.add(name, value);
    return this;
  }

  /**
   * Sets the client IP the gateway would have resolved (through its trusted proxies).
   *
   * @param ip an IPv4 or IPv6 address in text form
   * @return this request
   */
  public TestRequest clientIp(String ip) {
    this.clientIp = requireNonNull(ip, "ip");
    return this;
  }

  /**
   * Sets the host (lower-cased, without port, as the gateway hands it to filters).
   *
   * @param host the host
   * @return this request
   */
  public TestRequest host(String host) {
    this.host = requireNonNull(host, "host").toLowerCase(Locale.ROOT);
    return this;
  }

  /**
   * Sets the scheme the client connected with.
   *
   * @param scheme {@code http} or {@code https}
   * @return this request
   */
  public TestRequest scheme(String scheme) {
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("scheme: " + scheme + " (expected: http or https)");
    }
    this.scheme = scheme;
    return this;
  }

  /**
   * Adds a value captured by the route's path template.
   *
   * @param name the template variable, e.g. {@code id} for {@code /users/{id}}
   * @param value the captured value
   * @return this request
   */
  public TestRequest pathParam(String name, String value) {
    pathParams.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
    return this;
  }

  /**
   * Sets a buffered UTF-8 body.
   *
   * @param text the body
   * @return this request
   */
  public TestRequest body(String text) {
    return bodyOf(Body.of(text));
  }

  /**
   * Sets a buffered body.
   *
   * @param bytes the body
   * @return this request
   */
  public TestRequest body(Buffer bytes) {
    return bodyOf(Body.of(bytes));
  }

  /**
   * Sets any body, e.g. {@link Body#stream} over a test stream.
   *
   * @param body the body
   * @return this request
   */
  public TestRequest bodyOf(Body body) {
    this.body = requireNonNull(body, "body");
    return this;
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
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("upstream path: " + path + " (expected: starting with /)");
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
    return Collections.unmodifiableMap(pathParams);
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

  @Override
  public String toString() {
    return method + " " + upstreamPath + (upstreamQuery == null ? "" : "?" + upstreamQuery);
  }
}
