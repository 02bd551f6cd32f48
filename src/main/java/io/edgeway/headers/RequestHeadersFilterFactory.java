package io.edgeway.headers;

import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;

/**
 * {@code request-headers}: edits the headers sent upstream.
 * <pre>- request-headers: { set: { X-From-Gateway: "1" }, add: {...}, remove: [X-Debug] }</pre>
 */
public final class RequestHeadersFilterFactory implements GatewayFilterFactory<HeaderEdits> {

  @Override
  public String name() {
    return "request-headers";
  }

  @Override
  public Stage stage() {
    return Stage.TRANSFORM;
  }

  @Override
  public Class<HeaderEdits> configType() {
    return HeaderEdits.class;
  }

  @Override
  public GatewayFilter create(HeaderEdits edits, FilterContext context) {
    return (exchange, chain) -> {
      edits.applyTo(exchange.request().headers());
      return chain.proceed(exchange);
    };
  }
}
