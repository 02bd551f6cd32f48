package io.edgeway.server;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.proxy.UpstreamCall;
import io.edgeway.spi.Body;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;

/**
 * Relays the upstream's trailers (gRPC's {@code grpc-status} and {@code grpc-message}) after the
 * response body: they are known only once the upstream body ended, so they are copied into the
 * client's response just before it ends. Only trailers that came with this very body are
 * relayed: a filter that replaced the body also replaced what its end means.
 */
final class ResponseTrailers implements WriteStream<Buffer> {
  private final HttpServerResponse out;
  private final UpstreamCall.Trailers trailers;

  private ResponseTrailers(HttpServerResponse out, UpstreamCall.Trailers trailers) {
    this.out = out;
    this.trailers = trailers;
  }

  /** {@code out} itself when there are no upstream trailers for {@code body}. */
  static WriteStream<Buffer> relayTo(DefaultExchange ex, Body body, HttpServerResponse out) {
    UpstreamCall.Trailers trailers = ex.get(UpstreamCall.RESPONSE_TRAILERS);
    return trailers == null || trailers.body() != body ? out : new ResponseTrailers(out, trailers);
  }

  @Override
  public Future<Void> end() {
    trailers.headers().forEach(entry -> out.trailers().add(entry.getKey(), entry.getValue()));
    return out.end();
  }

  @Override
  public Future<Void> write(Buffer data) {
    return out.write(data);
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    out.exceptionHandler(handler);
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    out.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return out.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    out.drainHandler(handler);
    return this;
  }
}
