package io.edgeway.runtime;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.config.ConfigLoader;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.spi.BlockingExecutor;
import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayException;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the gateway hands filter factories through {@link FilterContext}: {@code validating()} true
 * for the validation pass (start-up and every reload; {@code --check} runs the same
 * {@link ConfigValidator#validateRoutes}) and false for the serving routes, a blocking executor
 * that runs nothing while validating and is the configured pool otherwise, and the UTC clock.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FilterContextTest {
  @TempDir
  Path dir;

  private Vertx vertx;
  private Gateway gateway;
  private final RecordingFactory factory = new RecordingFactory();

  @BeforeEach
  void startVertx() {
    vertx = TestVertx.create();
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.stop(Duration.ofSeconds(1)).await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void validationPassThenServingPassAtStartUpAndOnReload() throws Exception {
    Path file = write("""
        server: { host: 127.0.0.1, port: 0, instances: 1, reload: { watch: false } }
        admin: { enabled: false }
        plugins: { blocking-pool: { size: 3, max-queued: 0 } }
        routes:
          - id: r1
            match: { path: /r1/** }
            upstream: { targets: [ { url: "http://127.0.0.1:1" } ] }
            filters: [ { test-context: { tag: a } } ]
        """);
    start(file);
    assertThat(factory.seen).extracting(Seen::validating).containsExactly(true, false);
    assertThat(factory.seen).extracting(Seen::routeId).containsOnly("r1");
    assertThat(factory.seen).allSatisfy(seen -> assertThat(seen.clock().getZone()).isEqualTo(ZoneOffset.UTC));

    Throwable whileValidating = factory.seen.get(0).blocking().run(() -> "never").cause();
    assertThat(whileValidating).isInstanceOf(IllegalStateException.class).hasMessageContaining("validating");

    // The serving pool is the configured one: 3 threads, no queue.
    BlockingExecutor serving = factory.seen.get(1).blocking();
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<String>> busy = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      busy.add(serving.run(() -> gate.await(10, TimeUnit.SECONDS) ? "done" : "gate never opened"));
    }
    Future<String> fourth = serving.run(() -> "never");
    assertThat(fourth.failed()).isTrue();
    assertThat(((GatewayException) fourth.cause()).code()).isEqualTo("blocking_pool_saturated");
    gate.countDown();
    for (Future<String> f : busy) {
      assertThat(f.await(10, TimeUnit.SECONDS)).isEqualTo("done");
    }

    write(Files.readString(file).replace("tag: a", "tag: b"));
    assertThat(gateway.reloader().reload("test").await(10, TimeUnit.SECONDS).attempt().outcome())
        .isEqualTo(ConfigReloadStats.Outcome.APPLIED);
    assertThat(factory.seen).extracting(Seen::validating).containsExactly(true, false, true, false);
    assertThat(factory.seen.get(3).blocking()).as("one pool for the gateway's life").isSameAs(serving);

    write(Files.readString(file).replace("size: 3", "size: 4"));
    ConfigReloader.Result refused = gateway.reloader().reload("test").await(10, TimeUnit.SECONDS);
    assertThat(refused.attempt().outcome()).isEqualTo(ConfigReloadStats.Outcome.FAILED);
    assertThat(refused.attempt().errors()).anySatisfy(error -> assertThat(error)
        .contains("plugins.blocking-pool.size: 4 (expected: 3, the running value; changing it needs a restart)"));

    gateway.stop(Duration.ofSeconds(1)).await(10, TimeUnit.SECONDS);
    gateway = null;
    Future<String> afterStop = serving.run(() -> "never");
    assertThat(afterStop.failed()).isTrue();
    assertThat(((GatewayException) afterStop.cause()).code()).isEqualTo("blocking_pool_closed");
  }

  @Test
  void servingBlockingWorkCompletesOnTheRequestsEventLoop() throws Exception {
    start(write("""
        server: { host: 127.0.0.1, port: 0, instances: 1, reload: { watch: false } }
        admin: { enabled: false }
        routes:
          - id: r1
            match: { path: /r1/** }
            upstream: { targets: [ { url: "http://127.0.0.1:1" } ] }
            filters: [ { test-context: { tag: a } } ]
        """));
    BlockingExecutor serving = factory.seen.get(1).blocking();
    Context loop = vertx.getOrCreateContext();
    Promise<Boolean> onLoop = Promise.promise();
    loop.runOnContext(v -> serving.run(() -> Thread.currentThread().getName())
        .onComplete(ar -> onLoop.complete(ar.succeeded()
            && ar.result().startsWith("edgeway-plugin-blocking-") && Vertx.currentContext() == loop)));
    assertThat(onLoop.future().await(10, TimeUnit.SECONDS)).isTrue();
  }

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("edgeway.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private void start(Path file) throws Exception {
    String text = ConfigLoader.readText(file);
    gateway = Gateway.start(vertx, ConfigLoader.load(file.toString(), text), ConfigOrigin.ofFile(file, text),
        FilterRegistry.of(List.of(factory)), List.of()).await(20, TimeUnit.SECONDS);
  }

  /** What one {@code create} call was given. */
  record Seen(String routeId, boolean validating, BlockingExecutor blocking, Clock clock) {}

  /** A pass-through filter that records its {@link FilterContext}. */
  static final class RecordingFactory implements GatewayFilterFactory<RecordingFactory.Config> {
    record Config(String tag) {}

    final List<Seen> seen = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "test-context";
    }

    @Override
    public Stage stage() {
      return Stage.TRANSFORM;
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public GatewayFilter create(Config config, FilterContext context) {
      seen.add(new Seen(context.routeId(), context.validating(), context.blocking(), context.clock()));
      return (exchange, chain) -> chain.proceed(exchange);
    }
  }
}
