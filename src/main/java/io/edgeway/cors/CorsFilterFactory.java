package io.edgeway.cors;

import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.Stage;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.Locale;
import java.util.Set;

/**
 * {@code cors}: answers preflight requests at the gateway (the upstream never sees them) and adds
 * CORS headers to actual responses for allowed origins. A preflight from an origin that is not
 * allowed gets 403 {@code cors_rejected}.
 */
public final class CorsFilterFactory implements GatewayFilterFactory<CorsConfig> {

  @Override
  public String name() {
    return "cors";
  }

  @Override
  public Stage stage() {
    return Stage.EDGE;
  }

  @Override
  public Class<CorsConfig> configType() {
    return CorsConfig.class;
  }

  @Override
  public GatewayFilter create(CorsConfig config, FilterContext context) {
    return new CorsFilter(config);
  }

  private static final class CorsFilter implements GatewayFilter {
    private final boolean anyOrigin;
    private final Set<String> origins;
    private final Set<String> methods;
    private final String allowMethods;
    private final String allowHeaders;
    private final String exposeHeaders;
    private final boolean credentials;
    private final String maxAge;

    CorsFilter(CorsConfig c) {
      this.anyOrigin = c.anyOrigin();
      this.origins = c.originSet();
      this.methods = Set.copyOf(c.allowMethods());
      this.allowMethods = String.join(", ", c.allowMethods());
      this.allowHeaders = c.allowHeaders().isEmpty() ? null : String.join(", ", c.allowHeaders());
      this.exposeHeaders = c.exposeHeaders().isEmpty() ? null : String.join(", ", c.exposeHeaders());
      this.credentials = c.allowCredentials();
      this.maxAge = Long.toString(c.maxAge().toSeconds());
    }

    @Override
    public Future<GatewayResponse> filter(Exchange exchange, FilterChain chain) {
      MultiMap headers = exchange.request().headers();
      String origin = headers.get("Origin");
      if (origin == null) {
        return chain.proceed(exchange);
      }
      boolean allowed = anyOrigin || origins.contains(origin.toLowerCase(Locale.ROOT));
      String requestedMethod = headers.get("Access-Control-Request-Method");
      if (exchange.request().method() == HttpMethod.OPTIONS && requestedMethod != null) {
        return Future.succeededFuture(preflight(exchange, origin, allowed, requestedMethod, headers));
      }
      if (!allowed) {
        return chain.proceed(exchange);
      }
      return chain.proceed(exchange).map(response -> {
        decorate(response.headers(), origin);
        if (exposeHeaders != null) {
          response.headers().set("Access-Control-Expose-Headers", exposeHeaders);
        }
        return response;
      });
    }

    private GatewayResponse preflight(
        Exchange exchange, String origin, boolean allowed, String requestedMethod, MultiMap headers) {
      if (!allowed || !methods.contains(requestedMethod)) {
        return exchange.problem(403, "cors_rejected", "Cross-origin request not allowed");
      }
      GatewayResponse response = GatewayResponse.of(204);
      MultiMap out = response.headers();
      decorate(out, origin);
      out.set("Access-Control-Allow-Methods", allowMethods);
      String requestedHeaders = headers.get("Access-Control-Request-Headers");
      if (allowHeaders != null) {
        out.set("Access-Control-Allow-Headers", allowHeaders);
      } else if (requestedHeaders != null) {
        out.set("Access-Control-Allow-Headers", requestedHeaders);
      }
      out.set("Access-Control-Max-Age", maxAge);
      out.add("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers");
      return response;
    }

    private void decorate(MultiMap out, String origin) {
      out.set("Access-Control-Allow-Origin", anyOrigin && !credentials ? "*" : origin);
      if (!anyOrigin || credentials) {
        out.add("Vary", "Origin");
      }
      if (credentials) {
        out.set("Access-Control-Allow-Credentials", "true");
      }
    }
  }
}
