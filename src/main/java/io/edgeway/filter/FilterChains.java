package io.edgeway.filter;

import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayResponse;
import io.vertx.core.Future;
import java.util.List;

/**
 * Links a route's filters, already in stage order, into a chain ending with the upstream call.
 * The links are built once per route; running the chain allocates nothing of its own.
 */
public final class FilterChains {
  private FilterChains() {}

  /** The head of the chain: {@code filters[0]} calling {@code filters[1]} ... calling {@code terminal}. */
  public static FilterChain link(List<GatewayFilter> filters, FilterChain terminal) {
    FilterChain next = terminal;
    for (int i = filters.size() - 1; i >= 0; i--) {
      next = new Link(filters.get(i), next);
    }
    return next;
  }

  private record Link(GatewayFilter filter, FilterChain next) implements FilterChain {
    @Override
    public Future<GatewayResponse> proceed(Exchange exchange) {
      try {
        Future<GatewayResponse> result = filter.filter(exchange, next);
        return result != null ? result
            : Future.failedFuture(new IllegalStateException(filter.getClass().getName() + " returned null"));
      } catch (RuntimeException e) {
        // A filter that throws instead of failing its future must not take the connection down.
        return Future.failedFuture(e);
      }
    }
  }
}
