package io.edgeway.testing;

import io.edgeway.config.ServerTransport;
import io.edgeway.runtime.EventLoopTransport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The Vert.x instances of the tests, on the I/O transport the shipped gateway picks on this
 * machine ({@code server.transport: auto}): the gateway, its upstreams and clients in a test run
 * on the same epoll or io_uring code as in production, not on Java NIO.
 */
public final class TestVertx {
  private static final EventLoopTransport.Choice SHIPPED = EventLoopTransport.choose(ServerTransport.AUTO);

  private TestVertx() {}

  public static Vertx create() {
    return create(new VertxOptions());
  }

  public static Vertx create(VertxOptions options) {
    return SHIPPED.vertx(options);
  }
}
