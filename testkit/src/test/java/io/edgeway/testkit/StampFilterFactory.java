package io.edgeway.testkit;

import io.edgeway.spi.AttributeKey;
import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;
import io.vertx.core.Future;
import java.time.Clock;

/** A small plugin-style filter the test kit's own tests exercise: stamps a header, refuses a marker. */
public final class StampFilterFactory implements GatewayFilterFactory<StampFilterFactory.Config> {
  static final AttributeKey<String> STAMPED = AttributeKey.of("stamp", String.class);
  static volatile Clock clockOverride;

  /** {@code test-stamp: { value: abc }} */
  public record Config(String value) {
    public Config {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("value: " + value + " (expected: a non-empty text)");
      }
    }
  }

  @Override
  public String name() {
    return "test-stamp";
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
    return (exchange, chain) -> {
      if (exchange.request().headers().contains("X-Refuse")) {
        return Future.succeededFuture(exchange.problem(403, "refused", "Refused by test-stamp"));
      }
      exchange.request().headers().set("X-Stamp", config.value());
      exchange.put(STAMPED, config.value());
      return chain.proceed(exchange).map(response -> {
        response.headers().set("X-Stamped", "yes");
        return response;
      });
    };
  }
}
