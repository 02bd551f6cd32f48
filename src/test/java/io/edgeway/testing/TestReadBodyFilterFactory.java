package io.edgeway.testing;

import io.edgeway.spi.Body;
import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;

/**
 * A test plugin using only the SPI, as a plugin author would: reads the request body with
 * {@link Body#read(long)} and a limit, puts the bytes back with {@code Body.of(buffer)}, and tells
 * the upstream how many bytes it read ({@code X-Read-Bytes}). A failed read is returned as is, so
 * the gateway answers with its status.
 *
 * <p>YAML: {@code - test-read-body: { max-bytes: 16 }}
 */
public final class TestReadBodyFilterFactory implements GatewayFilterFactory<TestReadBodyFilterFactory.Config> {

  /** {@code max-bytes}: the limit given to {@code read}; required, {@code >= 0}. */
  public record Config(Long maxBytes) {
    public Config {
      if (maxBytes == null || maxBytes < 0) {
        throw new IllegalArgumentException("max-bytes: " + maxBytes + " (expected: an integer >= 0)");
      }
    }
  }

  @Override
  public String name() {
    return "test-read-body";
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
    long maxBytes = config.maxBytes();
    return (exchange, chain) -> exchange.request().body().read(maxBytes).compose(bytes -> {
      exchange.request().body(Body.of(bytes));
      exchange.request().headers().set("X-Read-Bytes", String.valueOf(bytes.length()));
      return chain.proceed(exchange);
    });
  }
}
