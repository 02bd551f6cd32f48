package io.edgeway.testing;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 (port 0) that tests steer: it records every request it receives
 * (what the upstream saw) and answers with an echo by default, or with whatever handler the test
 * installs.
 */
public final class TestUpstream implements AutoCloseable {
  /** What the upstream received, and in which protocol version (HTTP/2 from an h2 or h2c upstream). */
  public record Received(String method, String uri, MultiMap headers, Buffer body, HttpVersion version) {}

  private final Vertx vertx;
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile Handler<HttpServerRequest> behaviour = TestUpstream::echo;

  private final boolean tls;

  private TestUpstream(Vertx vertx) throws Exception {
    this(vertx, new io.vertx.core.http.HttpServerOptions());
  }

  private TestUpstream(Vertx vertx, io.vertx.core.http.HttpServerOptions options) throws Exception {
    this.vertx = vertx;
    this.tls = options.isSsl();
    this.server = vertx.createHttpServer(options)
        .connectionHandler(connection -> connections.incrementAndGet())
        .requestHandler(req -> req.body().onSuccess(body -> {
          MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
          received.add(new Received(req.method().name(), req.uri(), copy, body, req.version()));
          behaviour.handle(req);
        }))
        .listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
  }

  public static TestUpstream start(Vertx vertx) throws Exception {
    return new TestUpstream(vertx);
  }

  /** An upstream with these server options (e.g. TLS); the URL is {@code https://localhost:port} then. */
  public static TestUpstream start(Vertx vertx, io.vertx.core.http.HttpServerOptions options) throws Exception {
    return new TestUpstream(vertx, options);
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return tls ? "https://localhost:" + port() : "http://127.0.0.1:" + port();
  }

  /** Replaces how the upstream answers (the request body was already read). */
  public TestUpstream respondWith(Handler<HttpServerRequest> handler) {
    this.behaviour = handler;
    return this;
  }

  public List<Received> received() {
    return received;
  }

  public int count() {
    return received.size();
  }

  /** Connections accepted so far (with TLS: handshakes that completed). */
  public int connections() {
    return connections.get();
  }

  public Received last() {
    return received.get(received.size() - 1);
  }

  public static void echo(HttpServerRequest req) {
    JsonObject headers = new JsonObject();
    req.headers().forEach(e -> headers.put(e.getKey().toLowerCase(), e.getValue()));
    req.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("method", req.method().name()).put("uri", req.uri()).put("headers", headers).encode());
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }
}
