package io.edgeway.testing;

import io.edgeway.spi.BucketLimit;
import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.Required;
import io.edgeway.spi.SharedCache;
import io.edgeway.spi.Stage;
import io.edgeway.spi.StateEventPublisher;
import io.edgeway.spi.TokenBuckets;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Map;

/**
 * A test plugin using the three services a plugin can share with the gateway, through the SPI
 * only, as a plugin author would: a quota per client in the gateway's {@link TokenBuckets}; when a
 * client runs out, one {@code quota.exhausted} state event through {@link StateEventPublisher},
 * deduplicated with an entry in the {@link SharedCache} that lives until the client's next token.
 * An admitted request goes upstream with {@code X-Quota-Remaining}.
 *
 * <p>YAML: {@code - test-quota: { capacity: 2, period: 1h, key-header: X-Client }}
 */
public final class TestQuotaFilterFactory implements GatewayFilterFactory<TestQuotaFilterFactory.Config> {

  /** {@code capacity} requests per {@code period} and client; the client is named by {@code key-header}. */
  public record Config(long capacity, @Required Duration period, String keyHeader) {
    public Config {
      // The limit's own check, in the key: value (expected: ...) form the gateway positions.
      new BucketLimit(capacity, period);
      keyHeader = keyHeader == null ? "X-Client" : keyHeader;
    }
  }

  @Override
  public String name() {
    return "test-quota";
  }

  @Override
  public Stage stage() {
    return Stage.ADMISSION;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public GatewayFilter create(Config config, FilterContext context) {
    TokenBuckets buckets = context.service(TokenBuckets.class).orElseThrow();
    SharedCache cache = context.service(SharedCache.class).orElseThrow();
    StateEventPublisher events = context.service(StateEventPublisher.class).orElseThrow();
    BucketLimit limit = new BucketLimit(config.capacity(), config.period());
    String header = config.keyHeader();
    return (exchange, chain) -> {
      String client = exchange.request().headers().get(header);
      String key = client == null ? "anonymous" : client;
      return buckets.tryConsume(key, limit, 1).compose(decision -> {
        if (decision.consumed()) {
          exchange.request().headers().set("X-Quota-Remaining", Long.toString(decision.remaining()));
          return chain.proceed(exchange);
        }
        Duration wait = decision.retryAfter().toMillis() < 1 ? Duration.ofMillis(1) : decision.retryAfter();
        if (cache.get("exhausted:" + key) == null) {
          cache.put("exhausted:" + key, Buffer.buffer("1"), wait);
          events.publish("quota.exhausted", key, Map.of("capacity", limit.capacity(),
              "retryAfterSeconds", wait.toSeconds()));
        }
        GatewayResponse refused = exchange.problem(429, "quota_exhausted", "Quota exhausted");
        refused.headers().set("Retry-After", Long.toString(Math.max(1, wait.toSeconds())));
        return Future.succeededFuture(refused);
      });
    };
  }
}
