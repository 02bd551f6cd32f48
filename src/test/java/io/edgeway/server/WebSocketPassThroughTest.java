package io.edgeway.server;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.TestGateway;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WebSocket upgrades pass through on routes that allow them, and only there. */
class WebSocketPassThroughTest {
  private Vertx vertx;
  private HttpServer upstream;
  private TestGateway gateway;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = vertx.createHttpServer()
        .webSocketHandler(ws -> ws.textMessageHandler(text -> ws.writeTextMessage("echo:" + text + ":" + ws.path())))
        .requestHandler(req -> req.response().end("plain " + req.headers().contains("Upgrade")))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    gateway = TestGateway.start(vertx, """
        routes:
          - id: ws
            match: { path: /ws/** }
            websocket: true
            strip-prefix: 1
            upstream: { targets: [ { url: "http://127.0.0.1:%1$d" } ] }
          - id: plain
            match: { path: /plain/** }
            upstream: { targets: [ { url: "http://127.0.0.1:%1$d" } ] }
        """.formatted(upstream.actualPort()));
  }

  @AfterEach
  void tearDown() throws Exception {
    gateway.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void messagesFlowBothWaysThroughTheTunnel() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    Promise<String> reply = Promise.promise();
    client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port()).setURI("/ws/chat"))
        .onSuccess(ws -> {
          ws.textMessageHandler(reply::tryComplete);
          ws.writeTextMessage("hello");
        })
        .onFailure(reply::tryFail);
    assertThat(reply.future().await(10, TimeUnit.SECONDS)).isEqualTo("echo:hello:/chat");
  }

  @Test
  void upgradeIsNotForwardedOnRoutesWithoutWebsocket() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    Throwable failure = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port())
            .setURI("/plain/chat"))
        .transform(ar -> io.vertx.core.Future.succeededFuture(ar.failed() ? ar.cause() : null))
        .await(10, TimeUnit.SECONDS);
    assertThat(failure).as("handshake must not succeed").isNotNull();
  }
}
