package io.edgeway.demo;

import io.edgeway.exchange.JsonEncoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;

/**
 * A tiny echo service the default configuration routes {@code /demo/**} to, so a newcomer's first
 * {@code curl} gets an answer without running anything else. It answers every request with a JSON
 * description of what it received (method, path, query, headers, body size). Bound to loopback.
 *
 * <p>It never reflects credentials: behind a public listener an echo that returns
 * {@code Authorization} or cookies hands them to whatever page or script made the request
 * (and to every cache and log in between). Those headers are dropped from the answer, which
 * lists only their names under {@code droppedHeaders}.
 */
public final class DemoUpstream {
  /** Lower-case names of headers that carry credentials, never echoed. */
  static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
      "set-cookie", "x-api-key", "api-key", "x-auth-token", "x-access-token", "x-csrf-token", "x-xsrf-token",
      "x-amz-security-token", "x-goog-iap-jwt-assertion");

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
      JsonArray dropped = new JsonArray();
      req.headers().forEach(e -> {
        if (CREDENTIAL_HEADERS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
          dropped.add(e.getKey());
        } else {
          headers.put(e.getKey(), e.getValue());
        }
      });
      JsonObject reply = new JsonObject()
          .put("service", "edgeway-demo-upstream")
          .put("method", req.method().name())
          .put("path", req.path())
          .put("query", req.query())
          .put("headers", headers)
          .put("droppedHeaders", dropped)
          .put("bodyBytes", body.length());
      req.response().putHeader("Content-Type", "application/json").end(JsonEncoder.encodePrettily(reply) + "\n");
    });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
