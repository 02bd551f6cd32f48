package io.edgeway.server;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** On stop, a request in flight finishes; new connections are no longer accepted. */
class GracefulShutdownTest {

  @Test
  void inFlightRequestCompletesDuringGracefulStop() throws Exception {
    Vertx vertx = TestVertx.create();
    try (TestUpstream upstream = TestUpstream.start(vertx)) {
      Promise<Void> arrived = Promise.promise();
      upstream.respondWith(req -> {
        arrived.tryComplete();
        vertx.setTimer(800, id -> req.response().end("done"));
      });
      TestGateway gateway = TestGateway.start(vertx, """
          routes:
            - id: slow
              match: { path: /slow/** }
              upstream: { targets: [ { url: "%s" } ] }
          """.formatted(upstream.url()));
      int port = gateway.port();
      HttpClient client = gateway.client(vertx);
      Future<String> inFlight = OnContext.run(vertx, () -> client.request(HttpMethod.GET, "/slow/x")
          .compose(req -> req.send())
          .compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b)));
      arrived.future().await(20, TimeUnit.SECONDS);

      Future<Void> stopped = gateway.gateway().stop(Duration.ofSeconds(5));
      assertThat(inFlight.await(10, TimeUnit.SECONDS)).isEqualTo("200 done");
      stopped.await(10, TimeUnit.SECONDS);

      Throwable refused = vertx.createHttpClient().request(HttpMethod.GET, port, "127.0.0.1", "/slow/y")
          .compose(req -> req.send())
          .transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null))
          .await(10, TimeUnit.SECONDS);
      assertThat(refused).as("no new requests after stop").isNotNull();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void duringTheDrainDelayReadinessFailsWhileNewConnectionsAreStillServed() throws Exception {
    Vertx vertx = TestVertx.create();
    try (TestUpstream upstream = TestUpstream.start(vertx)) {
      upstream.respondWith(req -> req.response().end("ok"));
      TestGateway gateway = TestGateway.start(vertx, """
          routes:
            - id: r
              match: { path: /r/** }
              upstream: { targets: [ { url: "%s" } ] }
          """.formatted(upstream.url()));
      int port = gateway.port();
      HttpClient admin = vertx.createHttpClient();
      assertThat(status(admin, gateway.adminPort(), "/ready")).isEqualTo(200);

      // Long enough that the checks below run inside it even on a loaded machine.
      Future<Void> stopped = gateway.gateway().stop(Duration.ofSeconds(4), Duration.ofSeconds(2));

      assertThat(status(admin, gateway.adminPort(), "/ready")).as("not ready at once").isEqualTo(503);
      HttpClient fresh = vertx.createHttpClient();
      assertThat(status(fresh, port, "/r/x")).as("a new connection during the drain delay").isEqualTo(200);
      stopped.await(20, TimeUnit.SECONDS);
      Throwable refused = vertx.createHttpClient().request(HttpMethod.GET, port, "127.0.0.1", "/r/y")
          .compose(req -> req.send())
          .transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null))
          .await(10, TimeUnit.SECONDS);
      assertThat(refused).as("no new connections after the drain delay").isNotNull();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static int status(HttpClient client, int port, String path) throws Exception {
    return client.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .await(10, TimeUnit.SECONDS);
  }
}
