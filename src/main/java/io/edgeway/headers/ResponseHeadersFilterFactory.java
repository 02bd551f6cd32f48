package io.edgeway.headers;

import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;

/**
 * {@code response-headers}: edits the headers of the responses that reach it: the upstream's and
 * those of filters in later stages. Errors raised as {@code GatewayException} further down are
 * rendered by the core with their own headers.
 * <pre>- response-headers: { add: { X-Served-By: edgeway }, remove: [Server] }</pre>
 */
public final class ResponseHeadersFilterFactory implements GatewayFilterFactory<HeaderEdits> {

  @Override
  public String name() {
    return "response-headers";
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
    return (exchange, chain) -> chain.proceed(exchange).map(response -> {
      edits.applyTo(response.headers());
      return response;
    });
  }

}
