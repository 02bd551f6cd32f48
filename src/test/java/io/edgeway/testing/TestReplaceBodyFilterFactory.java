package io.edgeway.testing;

import io.edgeway.spi.Body;
import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;
import io.vertx.core.buffer.Buffer;

/**
 * A test plugin, written as a plugin author would from docs/plugins.md (it uses only the SPI):
 * replaces the request body before the chain and/or the response body after it with fixed text.
 * It only sets the body; keeping the framing headers ({@code Content-Length},
 * {@code Transfer-Encoding}) consistent with it is the gateway's job.
 *
 * <p>YAML: {@code - test-replace-body: { request-body: "...", response-body: "..." }}
 */
public final class TestReplaceBodyFilterFactory implements GatewayFilterFactory<TestReplaceBodyFilterFactory.Config> {

  /** Either body may be absent (then that side is left alone); at least one is required. */
  public record Config(String requestBody, String responseBody) {
    public Config {
      if (requestBody == null && responseBody == null) {
        throw new IllegalArgumentException("request-body: null (expected: request-body or response-body)");
      }
    }
  }

  @Override
  public String name() {
    return "test-replace-body";
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
    Buffer requestBody = config.requestBody() == null ? null : Buffer.buffer(config.requestBody());
    Buffer responseBody = config.responseBody() == null ? null : Buffer.buffer(config.responseBody());
    return (exchange, chain) -> {
      if (requestBody != null) {
        exchange.request().body().discard();
        exchange.request().body(Body.of(requestBody.copy()));
      }
      return chain.proceed(exchange).map(response -> {
        if (responseBody != null) {
          response.body().discard();
          response.body(Body.of(responseBody.copy()));
        }
        return response;
      });
    };
  }
}
