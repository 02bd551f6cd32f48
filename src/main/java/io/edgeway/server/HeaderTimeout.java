package io.edgeway.server;

import io.edgeway.exchange.ProblemResponses;
import io.edgeway.spi.GatewayResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Map;

/**
 * The 408 for a connection whose first request headers did not arrive within the header-read
 * timeout (slowloris; HAProxy's {@code timeout http-request} model): a problem+json answer, then
 * the connection is closed. There is no request object to answer through (the headers never
 * completed), so the response goes through the connection's HTTP encoder directly; Vert.x's
 * public API has no such write, hence its connection class.
 */
final class HeaderTimeout {
  private static final GatewayResponse PROBLEM = ProblemResponses.render(408, "request_header_timeout",
      "Request headers not received in time", null, null);
  private static final byte[] BODY = PROBLEM.body().buffer().getBytes();

  private HeaderTimeout() {}

  /** Answers 408 and closes; on a connection of another kind (HTTP/2), only closes. */
  static void answer(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)
        || connection.protocolVersion() == io.vertx.core.http.HttpVersion.HTTP_2) {
      connection.close(); // HTTP/2: GOAWAY; there is no HTTP/1.1 encoder to answer through
      return;
    }
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.wrappedBuffer(BODY));
    for (Map.Entry<String, String> header : PROBLEM.headers()) {
      response.headers().set(header.getKey(), header.getValue());
    }
    response.headers()
        .set(HttpHeaderNames.CONTENT_LENGTH, BODY.length)
        .set(HttpHeaderNames.CONNECTION, "close");
    // Written from Vert.x's handler context, so it passes the HTTP encoder (and TLS, if any).
    base.channelHandlerContext().writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
