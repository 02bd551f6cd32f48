package io.edgeway.ratelimit;

import io.edgeway.spi.GatewayException;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.RedisApi;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide buckets in Redis: Bucket4j's compare-and-swap proxy manager over Lettuce's async
 * API, so a decision never blocks an event loop. The connection is opened asynchronously (a Redis
 * that is down at start-up does not stop the gateway) and re-opened by Lettuce after a drop;
 * while disconnected, commands fail at once instead of queueing. Every decision is bounded by
 * {@code timeout}, and a {@link StoreBreaker} skips Redis after consecutive failures.
 */
public final class RedisBucketStore {
  private static final Logger log = LoggerFactory.getLogger(RedisBucketStore.class);
  /** The failure a caller sees while the store is skipped or fails; it then applies on-store-failure. */
  static final GatewayException UNAVAILABLE =
      new GatewayException(503, "rate_limit_unavailable", "Rate limiting is temporarily unavailable");

  private final RedisStoreConfig config;
  private final String displayAddress;
  private final StoreBreaker breaker;
  private final AtomicReference<Live> connection = new AtomicReference<>();
  private final AtomicBoolean connecting = new AtomicBoolean();
  private final long timeoutMillis;
  private volatile boolean closed;
  private volatile String lastConnectError;
  private volatile Vertx vertx;
  private ClientResources resources;
  private RedisClient standalone;
  private RedisClusterClient cluster;
  private RedisURI uri;

  /**
   * The open connection and its commands. A standalone (or Sentinel-found) server and a Redis
   * Cluster share the command interface; the cluster's route each key to the node owning its slot.
   */
  private record Live(StatefulConnection<byte[], byte[]> connection, RedisClusterAsyncCommands<byte[], byte[]> commands) {}
  private AsyncProxyManager<Object> proxyManager;
  /** One proxy per key, so the batching optimization sees concurrent requests for that key. */
  private final Cache<String, AsyncBucketProxy> proxies = Caffeine.newBuilder()
      .maximumSize(100_000)
      .expireAfterAccess(Duration.ofMinutes(10))
      // Maintenance inline, as the local store: no common-pool wake-ups from a hot key's reads.
      .executor(Runnable::run)
      .build();

  RedisBucketStore(RedisStoreConfig config, StoreBreaker.Listener listener) {
    this.config = config;
    this.displayAddress = config.address();
    this.timeoutMillis = Math.max(1, config.timeout().toMillis());
    this.breaker = new StoreBreaker(config.failureThreshold(), config.coolDown().toNanos(), System::nanoTime,
        new StoreBreaker.Listener() {
          @Override
          public void opened(Throwable cause) {
            log.warn("rate-limit store {} unavailable ({}): cluster limits degrade to on-store-failure for {} ms",
                displayAddress, describe(cause), config.coolDown().toMillis());
            listener.opened(unwrap(cause));
          }

          @Override
          public void closed() {
            log.info("rate-limit store {} available again: cluster limits resumed", displayAddress);
            listener.closed();
          }
        });
  }

  /**
   * Creates the client (on a worker thread: Lettuce starts its threads) and starts connecting in
   * the background. Never fails because Redis is down.
   */
  Future<Void> start(Vertx vertx) {
    return vertx.<Void>executeBlocking(() -> {
      resources = DefaultClientResources.builder()
          .ioThreadPoolSize(2)
          .computationThreadPoolSize(2)
          .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
          .build();
      uri = RedisURI.create(config.url());
      uri.setTimeout(config.timeout());
      ClientOptions options = ClientOptions.builder()
          .autoReconnect(true)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
          .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout()).build())
          .build();
      if (config.cluster()) {
        cluster = RedisClusterClient.create(resources, uri);
        cluster.setOptions(ClusterClientOptions.builder(options)
            // A cluster connection opens its per-node connections on first use: commands wait
            // for them, in a bounded queue, and each decision is still bounded by the timeout.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
            .requestQueueSize(1024)
            // Follow failovers and resharding: on MOVED/ASK redirects and lost nodes, and every 30 s.
            .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                .enablePeriodicRefresh(Duration.ofSeconds(30))
                .enableAllAdaptiveRefreshTriggers()
                .build())
            .build());
      } else {
        standalone = RedisClient.create(resources, uri);
        standalone.setOptions(options);
      }
      proxyManager = new Bucket4jLettuce.LettuceBasedProxyManagerBuilder<>(new ConnectionApi())
          .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
          .build()
          .asAsync();
      this.vertx = vertx;
      return null;
    }).onSuccess(v -> connect());
  }

  /**
   * Starts the store and waits for its first connection (a reload switching stores: the new one
   * must be usable before the routes using it serve). Fails with the connect error, naming the
   * key; the caller then closes the store.
   */
  Future<Void> startConnected(Vertx vertx) {
    return start(vertx).compose(v -> {
      io.vertx.core.Promise<Void> open = io.vertx.core.Promise.promise();
      long deadline = System.nanoTime() + config.connectTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
      awaitConnection(vertx, open, deadline);
      return open.future();
    });
  }

  // Polls on a timer rather than chaining on Lettuce's future: connect() is also started by
  // start() and by requests, and only one attempt runs at a time.
  private void awaitConnection(Vertx vertx, io.vertx.core.Promise<Void> open, long deadlineNanos) {
    if (connected()) {
      open.tryComplete();
    } else if (closed || System.nanoTime() - deadlineNanos > 0) {
      open.tryFail(new io.edgeway.runtime.ReloadRefusedException("rate-limit-store.redis.url", displayAddress
          + ": not connected within connect-timeout " + config.connectTimeout().toMillis() + " ms"
          + (lastConnectError == null ? "" : " (" + lastConnectError + ")")
          + " (expected: a reachable Redis before the reload switches stores)"));
    } else {
      connect();
      vertx.setTimer(20, t -> awaitConnection(vertx, open, deadlineNanos));
    }
  }

  /**
   * Starts a connection attempt unless one is open or under way. The attempt itself runs on a
   * worker thread: resolving a host name may block.
   */
  private void connect() {
    if (closed || connection.get() != null || !connecting.compareAndSet(false, true)) {
      return;
    }
    vertx.<Void>executeBlocking(() -> {
      startConnect();
      return null;
    }, false).onFailure(e -> connecting.set(false));
  }

  private void startConnect() {
    CompletableFuture<Live> opening = cluster != null
        // The cluster's slot map is read first (an async connect needs it), then the connection.
        ? cluster.refreshPartitionsAsync().toCompletableFuture()
            .thenCompose(v -> cluster.connectAsync(ByteArrayCodec.INSTANCE)).thenApply(c -> new Live(c, c.async()))
        : standalone.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture().thenApply(c -> new Live(c, c.async()));
    opening.whenComplete((c, e) -> {
      connecting.set(false);
      if (e != null) {
        lastConnectError = describe(e);
        log.debug("rate-limit store {}: connect failed: {}", displayAddress, lastConnectError);
        return;
      }
      if (closed) {
        c.connection().closeAsync();
        return;
      }
      connection.set(c);
      log.info("rate-limit store {} connected", displayAddress);
    });
  }

  /**
   * Takes {@code cost} tokens from the bucket under {@code key}. Completes on {@code context};
   * fails with {@link #UNAVAILABLE} when Redis is skipped (breaker open), unreachable or slower than
   * the timeout.
   */
  Future<BucketOutcome> tryConsume(
      String key, BucketConfiguration configuration, long cost, boolean verbose, Context context) {
    if (proxyManager == null || !breaker.allowRequest()) {
      return Future.failedFuture(UNAVAILABLE);
    }
    if (connection.get() == null) {
      connect();
      breaker.onFailure(new RedisException("not connected"));
      return Future.failedFuture(UNAVAILABLE);
    }
    CompletableFuture<BucketOutcome> result;
    try {
      AsyncBucketProxy bucket = proxies.get(key, k -> proxyManager.builder()
          // Concurrent requests for one key on this node share one compare-and-swap round trip
          // instead of racing each other's (a hot key would otherwise retry itself into timeouts).
          .withOptimization(Optimizations.batching())
          .build((config.keyPrefix() + k).getBytes(StandardCharsets.UTF_8), configuration));
      result = verbose
          ? bucket.asVerbose().tryConsumeAndReturnRemaining(cost).thenApply(RateLimitPolicy::outcome)
          : bucket.tryConsumeAndReturnRemaining(cost).thenApply(RateLimitPolicy::outcome);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<BucketOutcome> bounded = result.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .whenComplete((outcome, failure) -> {
          if (failure == null) {
            breaker.onSuccess();
          } else {
            breaker.onFailure(failure);
          }
        });
    return Future.fromCompletionStage(bounded, context).recover(e -> Future.failedFuture(UNAVAILABLE));
  }

  boolean connected() {
    Live c = connection.get();
    return c != null && c.connection().isOpen();
  }

  boolean degraded() {
    return breaker.isOpen();
  }

  int consecutiveFailures() {
    return breaker.consecutiveFailures();
  }

  String address() {
    return displayAddress;
  }

  /** {@code standalone}, {@code sentinel} or {@code cluster}: how the Redis server is found. */
  String deployment() {
    if (config.cluster()) {
      return "cluster";
    }
    return config.url().contains("-sentinel://") ? "sentinel" : "standalone";
  }

  /** The store's breaker for the admin API: state, consecutive failures and its settings. */
  Map<String, Object> breaker() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("state", breaker.state());
    out.put("consecutiveFailures", breaker.consecutiveFailures());
    out.put("failureThreshold", breaker.threshold());
    out.put("coolDownMs", breaker.coolDownNanos() / 1_000_000);
    return out;
  }

  /** Closes the connection and the client without blocking the caller. */
  Future<Void> close(Vertx vertx) {
    closed = true;
    AbstractRedisClient client = cluster != null ? cluster : standalone;
    if (client == null) {
      return Future.succeededFuture();
    }
    Live c = connection.getAndSet(null);
    CompletableFuture<Void> closing = c == null ? CompletableFuture.completedFuture(null) : c.connection().closeAsync();
    CompletableFuture<Void> all = closing
        .handle((v, e) -> null)
        .thenCompose(v -> client.shutdownAsync(0, 2, TimeUnit.SECONDS))
        .handle((v, e) -> null)
        .thenCompose(v -> toVoid(resources.shutdown(0, 2, TimeUnit.SECONDS)))
        .handle((v, e) -> null);
    return Future.fromCompletionStage(all, vertx.getOrCreateContext()).mapEmpty();
  }

  private static CompletableFuture<Void> toVoid(java.util.concurrent.Future<?> future) {
    CompletableFuture<Void> out = new CompletableFuture<>();
    if (future instanceof io.netty.util.concurrent.Future<?> netty) {
      netty.addListener(f -> out.complete(null));
    } else {
      out.complete(null);
    }
    return out;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable e) {
    Throwable t = unwrap(e);
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  /**
   * Bucket4j's view of Redis: always the current connection; fails fast when there is none. Keys
   * are typed {@code Object} because Bucket4j hands them over in an {@code Object[]}.
   */
  private final class ConnectionApi implements RedisApi<Object> {
    @Override
    public <V> RedisFuture<V> eval(String script, ScriptOutputType scriptOutputType, Object[] keys, byte[]... args) {
      Live c = connection.get();
      if (c == null) {
        return notConnected();
      }
      byte[][] binaryKeys = new byte[keys.length][];
      for (int i = 0; i < keys.length; i++) {
        binaryKeys[i] = (byte[]) keys[i];
      }
      return c.commands().eval(script, scriptOutputType, binaryKeys, args);
    }

    @Override
    public RedisFuture<byte[]> get(Object key) {
      Live c = connection.get();
      return c == null ? notConnected() : c.commands().get((byte[]) key);
    }

    @Override
    public RedisFuture<?> delete(Object key) {
      Live c = connection.get();
      return c == null ? notConnected() : c.commands().del((byte[]) key);
    }

    private <V> RedisFuture<V> notConnected() {
      AsyncCommand<byte[], byte[], V> command = new AsyncCommand<>(new Command<>(CommandType.GET, null));
      command.completeExceptionally(new RedisException("not connected"));
      return command;
    }
  }
}
