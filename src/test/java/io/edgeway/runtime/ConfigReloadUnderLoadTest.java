package io.edgeway.runtime;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 20 reloads, valid and broken alternately, while clients keep requesting on keep-alive
 * connections: no request fails, and every response comes from the last valid file applied when
 * the request was sent, or a newer one. Each valid file also changes the route's upstream timeouts,
 * so its upstream (pools and all) is replaced and the old one drains under traffic.
 */
class ConfigReloadUnderLoadTest {

  static {
    // Netty's first pooled chunk initialises its JFR event classes, which takes seconds on a
    // loaded machine: done here, on the test thread, not inside a test on an event loop.
    io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(1).release();
  }
  private static final int RELOADS = 20;
  private static final int CLIENTS = 4;

  @TempDir Path dir;

  private static String config(String upstream, int version, boolean broken) {
    return """
        server: { host: 127.0.0.1, port: 0, instances: 2, drain-delay: 0s, reload: { watch: false } }
        admin: { host: 127.0.0.1, port: 0 }
        routes:
          - id: r
            match: { path: /r/** }
            upstream: { targets: [ { url: "%s" } ], timeouts: { response: %dms } }
            filters:
              - %s: { set: { X-Config-Version: "%d" } }
        """.formatted(upstream, 5000 + version, broken ? "request-headerz" : "request-headers", version);
  }

  @Test
  void reloadsUnderLoadDropNoRequestAndRoutingFollowsTheLastValidFile() throws Exception {
    Vertx vertx = TestVertx.create();
    try (TestUpstream upstream = TestUpstream.start(vertx)) {
      upstream.respondWith(req -> req.response().end(String.valueOf(req.getHeader("X-Config-Version"))));
      Path file = dir.resolve("edgeway.yaml");
      Files.writeString(file, config(upstream.url(), 0, false));
      TestGateway gateway = TestGateway.startFromFile(vertx, file, List.of());
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(gateway.port()).setKeepAlive(true));
      AtomicInteger applied = new AtomicInteger();
      AtomicInteger highestWritten = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong completed = new AtomicLong();
      Queue<String> failures = new ConcurrentLinkedQueue<>();
      List<Future<Void>> workers = new ArrayList<>();
      try {
        for (int c = 0; c < CLIENTS; c++) {
          workers.add(OnContext.run(vertx, () -> {
            Promise<Void> done = Promise.promise();
            loop(client, applied, highestWritten, stop, completed, failures, done);
            return done.future();
          }));
        }
        int version = 0;
        for (int i = 1; i <= RELOADS; i++) {
          boolean valid = i % 2 == 1;
          if (valid) {
            version++;
            highestWritten.set(version);
          }
          Files.writeString(file, config(upstream.url(), valid ? version : version + 1000, !valid));
          ConfigReloader.Result result = gateway.gateway().reloader().reload("test").await(30, TimeUnit.SECONDS);
          assertThat(result.attempt().outcome()).as("reload %d: %s", i, result.attempt().errors())
              .isEqualTo(valid ? ConfigReloadStats.Outcome.APPLIED : ConfigReloadStats.Outcome.FAILED);
          if (valid) {
            applied.set(version);
          }
          // Let traffic run on this configuration before the next reload.
          long target = completed.get() + 20;
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (completed.get() < target && failures.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5); // waiting (bounded) for the clients' progress, not for the gateway
          }
          assertThat(failures).as("failed or misrouted requests after reload %d", i).isEmpty();
          assertThat(completed.get()).as("traffic after reload %d", i).isGreaterThanOrEqualTo(target);
        }
      } finally {
        stop.set(true);
        Future.join(new ArrayList<>(workers)).await(30, TimeUnit.SECONDS);
        gateway.close();
        vertx.close().await(10, TimeUnit.SECONDS);
      }
      assertThat(failures).as("failed or misrouted requests").isEmpty();
      assertThat(completed.get()).isGreaterThanOrEqualTo(RELOADS * 20L);
      System.out.printf("reload under load: %d requests, %d reloads, 0 failed%n", completed.get(), RELOADS);
    }
  }

  /** One client: a request after another on a keep-alive connection until told to stop. */
  private static void loop(HttpClient client, AtomicInteger applied, AtomicInteger highestWritten, AtomicBoolean stop,
      AtomicLong completed, Queue<String> failures, Promise<Void> done) {
    if (stop.get() || !failures.isEmpty()) {
      done.complete();
      return;
    }
    int atLeast = applied.get();
    client.request(HttpMethod.GET, "/r/x")
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> resp.statusCode() + " " + body))
        .onComplete(ar -> {
          if (ar.failed()) {
            failures.add("request failed: " + ar.cause());
          } else {
            String[] parts = ar.result().split(" ", 2);
            int highest = highestWritten.get();
            if (!parts[0].equals("200")) {
              failures.add("status " + ar.result());
            } else {
              int served = Integer.parseInt(parts[1]);
              if (served < atLeast || served > highest) {
                failures.add("served by version " + served + ", expected " + atLeast + ".." + highest);
              }
            }
          }
          completed.incrementAndGet();
          loop(client, applied, highestWritten, stop, completed, failures, done);
        });
  }
}
