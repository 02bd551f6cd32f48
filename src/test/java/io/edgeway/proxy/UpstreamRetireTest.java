package io.edgeway.proxy;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.TestUpstream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A reload retires an upstream the new routes do not use: requests still using it finish, a late
 * request of the old snapshot still gets a connection, and once nothing uses it every loop share,
 * connection and the monitor are closed (counted by {@link UpstreamResources}).
 */
class UpstreamRetireTest {
  private Vertx vertx;
  private TestUpstream target;
  private UpstreamResources resources;
  private Upstream upstream;
  private UpstreamTarget only;
  private Context loop0;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    target = TestUpstream.start(vertx);
    target.respondWith(req -> req.response().end("ok"));
    resources = new UpstreamResources();
    // Loop share 0 belongs to one event loop: every call below runs on this one context.
    loop0 = vertx.getOrCreateContext();
    only = new UpstreamTarget(target.url(), "127.0.0.1", target.port(), false, 1);
    upstream = new Upstream(List.of(only), new RoundRobinBalancer(List.of(only)), 1000, 5000, 60_000, 4, 4, 1,
        TargetMonitor.NONE, UpstreamTls.SYSTEM, resources, h2c());
  }

  /** HTTP/1.1 here; {@link UpstreamRetireH2cTest} runs the same over multiplexed h2c connections. */
  boolean h2c() {
    return false;
  }

  @AfterEach
  void tearDown() throws Exception {
    target.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** One exchange on loop share 0, the connection given back (pooled, or closed when retired). */
  private Future<String> exchange(boolean retireBeforeRelease) {
    Upstream.Loop loop = upstream.loop(vertx, 0);
    TargetPool pool = loop.pool(only);
    return pool.acquire().compose(pooled -> pooled.connection
        .request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/x").setHost("127.0.0.1"))
        .compose(req -> req.send())
        .compose(resp -> resp.body())
        .map(body -> {
          if (retireBeforeRelease) {
            upstream.retire();
          }
          pool.release(pooled);
          return body.toString();
        }));
  }

  @Test
  void anExchangeInFlightFinishesAndTheShareClosesAfterIt() throws Exception {
    assertThat(onLoop0(false)).isEqualTo("ok");
    assertThat(resources.liveLoops()).isEqualTo(1);
    assertThat(resources.openConnections()).isEqualTo(1); // idle, pooled

    assertThat(onLoop0(true)).isEqualTo("ok");

    awaitZero("loop shares", resources::liveLoops);
    awaitZero("connections", resources::openConnections);
    assertThat(resources.liveUpstreams()).isZero();
  }

  @Test
  void aLateRequestOfTheOldSnapshotStillGetsAConnectionThenEverythingCloses() throws Exception {
    assertThat(onLoop0(false)).isEqualTo("ok");
    upstream.retire();
    awaitZero("loop shares after the retire", resources::liveLoops);

    // A request that began before the swap and reaches the upstream only now.
    assertThat(onLoop0(false)).isEqualTo("ok");

    awaitZero("loop shares", resources::liveLoops);
    awaitZero("connections", resources::openConnections);
  }

  private String onLoop0(boolean retireBeforeRelease) throws Exception {
    Promise<String> result = Promise.promise();
    loop0.runOnContext(v -> exchange(retireBeforeRelease).onComplete(result));
    return result.future().await(10, TimeUnit.SECONDS);
  }

  /** Bounded wait: closing happens on the loop after the connection's close event. */
  private static void awaitZero(String what, java.util.function.IntSupplier count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (count.getAsInt() != 0) {
      assertThat(System.nanoTime()).as(what + " still " + count.getAsInt()).isLessThan(deadline);
      Thread.sleep(10); // polling a close on the event loop, bounded
    }
  }
}
