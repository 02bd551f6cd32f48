package com.example.edgeway;

import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayResponse;
import io.vertx.core.Future;
import java.util.List;
import java.util.Locale;

/** One per route; shared by every event loop, so it keeps no per-request state in fields. */
final class UserAgentBlockFilter implements GatewayFilter {
  private final List<String> words;
  private final int status;

  UserAgentBlockFilter(List<String> words, int status) {
    this.words = words;
    this.status = status;
  }

  @Override
  public Future<GatewayResponse> filter(Exchange exchange, FilterChain chain) {
    String agent = exchange.request().headers().get("User-Agent");
    if (agent != null) {
      String lower = agent.toLowerCase(Locale.ROOT);
      for (String word : words) {
        if (lower.contains(word)) {
          return Future.succeededFuture(exchange.problem(status, "user_agent_blocked", "User agent not allowed"));
        }
      }
    }
    return chain.proceed(exchange);
  }
}
