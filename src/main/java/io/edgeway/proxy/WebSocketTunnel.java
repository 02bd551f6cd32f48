package io.edgeway.proxy;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.spi.AttributeKey;
import io.edgeway.spi.GatewayResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;

/**
 * A WebSocket upgrade the upstream accepted (101): the client connection is switched to a raw
 * tunnel and bytes are piped both ways with back-pressure until either side closes. The gateway
 * does not parse frames; filters ran on the upgrade request (auth, rate limits) as for any other.
 */
public final class WebSocketTunnel {
  /** Set on an exchange whose connection became a tunnel: the dispatcher must not write a response. */
  public static final AttributeKey<Boolean> TUNNELLED = AttributeKey.of("websocket-tunnel", Boolean.class);

  private WebSocketTunnel() {}

  static Future<GatewayResponse> open(DefaultExchange ex, HttpClientResponse upstreamResponse) {
    NetSocket upstreamSocket = upstreamResponse.netSocket();
    HttpServerResponse out = ex.serverRequest().response();
    out.setStatusCode(101);
    MultiMap headers = out.headers();
    upstreamResponse.headers().forEach(e -> headers.add(e.getKey(), e.getValue()));
    headers.set("X-Request-Id", ex.requestId());
    ex.put(TUNNELLED, Boolean.TRUE);
    return ex.serverRequest().toNetSocket()
        .map(clientSocket -> {
          clientSocket.pipeTo(upstreamSocket);
          upstreamSocket.pipeTo(clientSocket);
          clientSocket.closeHandler(v -> upstreamSocket.close());
          upstreamSocket.closeHandler(v -> clientSocket.close());
          return GatewayResponse.of(101);
        })
        .onFailure(e -> upstreamSocket.close());
  }
}
