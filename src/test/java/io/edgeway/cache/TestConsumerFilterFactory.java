package io.edgeway.cache;

import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;
import io.edgeway.spi.StandardAttributes;

/**
 * Test stand-in for an authentication filter: {@code Authorization: Bearer NAME} makes NAME the
 * consumer, as the jwt filter would after verifying a token.
 */
final class TestConsumerFilterFactory implements GatewayFilterFactory<TestConsumerFilterFactory.Config> {
  record Config(String scheme) {}

  @Override
  public String name() {
    return "test-consumer";
  }

  @Override
  public Stage stage() {
    return Stage.AUTHN;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public GatewayFilter create(Config config, FilterContext context) {
    return (exchange, chain) -> {
      String authorization = exchange.request().headers().get("Authorization");
      if (authorization != null && authorization.startsWith("Bearer ")) {
        exchange.put(StandardAttributes.CONSUMER, authorization.substring("Bearer ".length()));
      }
      return chain.proceed(exchange);
    };
  }
}
