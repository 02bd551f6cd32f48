package io.edgeway.resilience;

import io.edgeway.config.UpstreamUrl;
import io.edgeway.http.HopByHopHeaders;
import io.edgeway.proxy.UpstreamFailure;
import io.edgeway.spi.Body;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.GatewayException;
import io.edgeway.spi.GatewayRequest;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The alternate upstream of an open breaker: the same request (method, upstream path, query,
 * headers, body) sent to another address through one pooled client, the response streamed back.
 * Connect timeout 5 s, response timeout 15 s, pool 64 connections with a bounded wait queue.
 */
final class FallbackUpstream {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final long RESPONSE_TIMEOUT_MILLIS = 15_000;
  private static final long IDLE_TIMEOUT_MILLIS = 60_000;

  private final UpstreamUrl url;
  private final String target;
  private final String hostHeader;
  private final HttpClientAgent client;

  FallbackUpstream(Vertx vertx, UpstreamUrl url) {
    this.url = url;
    this.target = url.toString();
    this.hostHeader = url.authority();
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
            .setTcpNoDelay(true).setMaxHeaderSize(32 * 1024).setDecompressionSupported(false))
        .with(new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(256))
        .build();
  }

  Future<GatewayResponse> send(Exchange exchange) {
    GatewayRequest request = exchange.request();
    exchange.put(StandardAttributes.UPSTREAM_TARGET, target);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
    headers.set(HttpHeaders.HOST, hostHeader);
    String query = request.upstreamQuery();
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setHost(url.host())
        .setPort(url.port())
        .setSsl(url.tls())
        .setURI(query == null ? request.upstreamPath() : request.upstreamPath() + '?' + query)
        .setHeaders(headers)
        .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
        .setIdleTimeout(RESPONSE_TIMEOUT_MILLIS);
    Body body = request.body();
    return client.request(options)
        .compose(req -> body.isBuffered()
            ? (body.length() == 0 ? req.send() : req.send(body.buffer()))
            : req.send(body.stream()))
        .transform(ar -> {
          if (ar.failed()) {
            return Future.failedFuture(ar.cause() instanceof GatewayException ge ? ge
                : UpstreamFailure.classify(ar.cause()).exception());
          }
          return Future.succeededFuture(toResponse(ar.result()));
        });
  }

  private static GatewayResponse toResponse(HttpClientResponse response) {
    response.pause();
    response.request().idleTimeout(IDLE_TIMEOUT_MILLIS);
    MultiMap headers = response.headers();
    HopByHopHeaders.stripResponse(headers);
    long length = -1;
    String cl = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (cl != null) {
      try {
        length = Long.parseLong(cl);
      } catch (NumberFormatException e) {
        length = -1;
      }
    }
    return GatewayResponse.of(response.statusCode(), headers,
        Body.stream(response, length, () -> response.request().reset()));
  }

  void close() {
    client.close();
  }
}
