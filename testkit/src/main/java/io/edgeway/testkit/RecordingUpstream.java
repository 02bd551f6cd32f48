package io.edgeway.testkit;

import static java.util.Objects.requireNonNull;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP/1.1 server on 127.0.0.1 (port 0) standing in for the service behind the gateway. It
 * records every request it receives, whole (method, path, query, headers, body), before it answers,
 * so when a client has the gateway's response the upstream's record is already there: assert what
 * the service received, not only what the client got. Answers 200 {@code {"ok":true}} unless told
 * otherwise.
 */
public final class RecordingUpstream implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  private final List<ReceivedRequest> received = new CopyOnWriteArrayList<>();
  private volatile Function<ReceivedRequest, Reply> responder = request -> Reply.json(200, "{\"ok\":true}");

  private RecordingUpstream(Vertx vertx) {
    this.vertx = vertx;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
  }

  /**
   * Starts a recording upstream on a loopback port.
   *
   * @return the running upstream
   * @throws Exception when it cannot bind
   */
  public static RecordingUpstream start() throws Exception {
    RecordingUpstream upstream = new RecordingUpstream(Vertx.vertx());
    upstream.server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return upstream;
  }

  private void handle(HttpServerRequest request) {
    request.body().onComplete(body -> {
      if (body.failed()) {
        return; // the request broke off: nothing whole was received
      }
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
      ReceivedRequest record = new ReceivedRequest(request.method(), request.path(), request.query(), headers,
          body.result());
      received.add(record);
      Reply reply = responder.apply(record);
      request.response().setStatusCode(reply.status()).headers().addAll(reply.headers());
      request.response().end(reply.body());
    });
  }

  /**
   * The port it listens on.
   *
   * @return the port
   */
  public int port() {
    return server.actualPort();
  }

  /**
   * Its base URL, for a route's {@code upstream.targets[].url}.
   *
   * @return {@code http://127.0.0.1:PORT}
   */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * Sets how it answers from now on.
   *
   * @param responder computes a reply per received request (runs on its event loop: do not block)
   */
  public void respondWith(Function<ReceivedRequest, Reply> responder) {
    this.responder = requireNonNull(responder, "responder");
  }

  /**
   * The requests received so far, in arrival order.
   *
   * @return a copy
   */
  public List<ReceivedRequest> requests() {
    return List.copyOf(received);
  }

  /**
   * The last request received.
   *
   * @return the request
   * @throws AssertionError when none arrived
   */
  public ReceivedRequest lastRequest() {
    List<ReceivedRequest> all = requests();
    if (all.isEmpty()) {
      throw new AssertionError("the upstream received no request");
    }
    return all.get(all.size() - 1);
  }

  /** Forgets the requests received so far. */
  public void clear() {
    received.clear();
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * A request as the upstream received it.
   *
   * @param method the method
   * @param path the path
   * @param query the raw query, or null
   * @param headers the headers (including what the gateway added, e.g. {@code X-Request-Id})
   * @param body the body, empty when there was none
   */
  public record ReceivedRequest(HttpMethod method, String path, String query, MultiMap headers, Buffer body) {
    /**
     * The body as UTF-8 text.
     *
     * @return the text
     */
    public String bodyText() {
      return body.toString();
    }
  }

  /**
   * What the upstream answers.
   *
   * @param status the status
   * @param headers the headers
   * @param body the body
   */
  public record Reply(int status, MultiMap headers, Buffer body) {
    /**
     * A JSON reply.
     *
     * @param status the status
     * @param json the JSON text
     * @return the reply
     */
    public static Reply json(int status, String json) {
      return new Reply(status, MultiMap.caseInsensitiveMultiMap().set("Content-Type", "application/json"),
          Buffer.buffer(json));
    }

    /**
     * A plain-text reply.
     *
     * @param status the status
     * @param text the text
     * @return the reply
     */
    public static Reply text(int status, String text) {
      return new Reply(status, MultiMap.caseInsensitiveMultiMap().set("Content-Type", "text/plain; charset=utf-8"),
          Buffer.buffer(text));
    }
  }
}
