package io.edgeway.demo;

import io.edgeway.exchange.JsonEncoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * A tiny echo service the default configuration routes {@code /demo/**} to, so a newcomer's first
 * {@code curl} gets an answer without running anything else. It answers every request with a JSON
 * description of what it received (method, path, query, headers, body size). Bound to loopback.
 */
public final class DemoUpstream {
  private final Vertx vertx;
  private HttpServer server;

  public DemoUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Integer> start(String host, int port) {
    server = vertx.createHttpServer().requestHandler(this::echo);
    return server.listen(port, host).map(HttpServer::actualPort);
  }

  private void echo(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      JsonObject headers = new JsonObject();
      req.headers().forEach(e -> headers.put(e.getKey(), e.getValue()));
      JsonObject reply = new JsonObject()
          .put("service", "edgeway-demo-upstream")
          .put("method", req.method().name())
          .put("path", req.path())
          .put("query", req.query())
          .put("headers", headers)
          .put("bodyBytes", body.length());
      req.response().putHeader("Content-Type", "application/json").end(JsonEncoder.encodePrettily(reply) + "\n");
    });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
