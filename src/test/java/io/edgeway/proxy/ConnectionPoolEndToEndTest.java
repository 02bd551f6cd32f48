package io.edgeway.proxy;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-loop upstream connection pool and its timeouts, through a running gateway. */
class ConnectionPoolEndToEndTest {
  private Vertx vertx;
  private TestUpstream upstream;
  private TestGateway gateway;
  private HttpClient client;
  /** The upstream-side port of the gateway's connection, per request: one port = one connection. */
  private final List<Integer> connectionPorts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    upstream = TestUpstream.start(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void startGateway(String timeouts) throws Exception {
    gateway = TestGateway.start(vertx, """
        routes:
          - id: pooled
            match: { path: /p/** }
            upstream: { targets: [ { url: %s } ]%s }
        """.formatted(upstream.url(), timeouts.isEmpty() ? "" : ", timeouts: " + timeouts));
    client = gateway.client(vertx);
  }

  private int status(String uri) throws Exception {
    return OnContext.await(vertx, () -> client.request(io.vertx.core.http.HttpMethod.GET, uri)
        .compose(HttpClientRequest::send)
        .compose(resp -> resp.body().map(b -> resp.statusCode())), 20);
  }

  private void answer(String... headers) {
    upstream.respondWith(req -> {
      connectionPorts.add(req.remoteAddress().port());
      for (int i = 0; i < headers.length; i += 2) {
        req.response().putHeader(headers[i], headers[i + 1]);
      }
      req.response().end("ok");
    });
  }

  @Test
  void sequentialRequestsReuseOneKeepAliveConnection() throws Exception {
    answer();
    startGateway("");
    for (int i = 0; i < 10; i++) {
      assertThat(status("/p/" + i)).isEqualTo(200);
    }
    assertThat(new HashSet<>(connectionPorts)).hasSize(1);
  }

  @Test
  void aTargetThatClosesEveryConnectionNeverCostsA502() throws Exception {
    answer("Connection", "close");
    startGateway("");
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      statuses.add(status("/p/" + i));
    }
    assertThat(statuses).containsOnly(200);
    assertThat(new HashSet<>(connectionPorts)).hasSize(20);
  }

  @Test
  void aConnectionTheTargetClosedWhileIdleIsNotHandedOut() throws Exception {
    upstream.respondWith(req -> {
      connectionPorts.add(req.remoteAddress().port());
      // Closes the connection once the response is written, without announcing it.
      req.response().end("ok").onComplete(v -> req.connection().close());
    });
    startGateway("");
    for (int i = 0; i < 5; i++) {
      assertThat(status("/p/" + i)).isEqualTo(200);
      Thread.sleep(100);
    }
    assertThat(new HashSet<>(connectionPorts)).hasSize(5);
  }

  @Test
  void aShortKeepAliveTimeoutOfTheTargetIsHonoured() throws Exception {
    answer("Keep-Alive", "timeout=1");
    startGateway("");
    assertThat(status("/p/1")).isEqualTo(200);
    Thread.sleep(50);
    assertThat(status("/p/2")).isEqualTo(200);
    // timeout=1 leaves no safe window: the gateway does not reuse the connection.
    assertThat(new HashSet<>(connectionPorts)).hasSize(2);

    connectionPorts.clear();
    answer("Keep-Alive", "timeout=30");
    assertThat(status("/p/3")).isEqualTo(200);
    assertThat(status("/p/4")).isEqualTo(200);
    assertThat(new HashSet<>(connectionPorts)).hasSize(1);
  }

  @Test
  void aBodyThatStallsIsCutAfterTheIdleTimeoutAndTheConnectionIsNotReused() throws Exception {
    Set<Integer> stalled = new HashSet<>();
    upstream.respondWith(req -> {
      connectionPorts.add(req.remoteAddress().port());
      if (req.path().endsWith("/stall")) {
        stalled.add(req.remoteAddress().port());
        req.response().setChunked(true).write("partial");
      } else {
        req.response().end("ok");
      }
    });
    startGateway("{ response: 2s, idle: 300ms }");
    long started = System.nanoTime();
    assertThatThrownBy(() -> OnContext.await(vertx, () -> client.request(io.vertx.core.http.HttpMethod.GET, "/p/stall")
        .compose(HttpClientRequest::send)
        .compose(resp -> resp.body()), 20))
        .isNotNull();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000);
    assertThat(status("/p/after")).isEqualTo(200);
    assertThat(connectionPorts.get(1)).isNotIn(stalled);
  }

  @Test
  void aSmallBodyThatStallsIsAClean504() throws Exception {
    upstream.respondWith(req -> req.response().putHeader("Content-Length", "100").write("only part of it"));
    startGateway("{ response: 2s, idle: 300ms }");
    long started = System.nanoTime();
    int status = status("/p/stall-small");
    assertThat(status).isEqualTo(504);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(250L, 10_000L);
  }
}
